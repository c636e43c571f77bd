// loopsim's instrumentation for `run --check`: reports to the trace sink when the program's JavaScript-level
// jobs are queued and when they run, so the invariant monitor (sim/invariants.h) can check what the loop
// trace alone cannot show: the nextTick/microtask drains, the immediates' iterations, the JS timers.
//
// It only observes. It wraps nothing the program calls (a wrapper would show in stack traces); it uses
// async_hooks (ticks, queueMicrotask, immediates, timeouts) and v8.promiseHooks (promise reaction jobs),
// and writes with fs.writeSync to the sink, which the program cannot see. Events (each a line "NAME {json}"):
//   q     {"j":"tick"|"mt"|"prom","id":N,"c":C,"cs":S,"ck":"m"|"o"}  a job entered its queue; C and S
//                                                             name the execution that queued it (async id,
//                                                             serial), ck whether it is itself a microtask
//   r     {"j":...,"id":N}                                    the job starts running
//   imm_q {"id":N} / imm_r {"id":N}                           an immediate is queued / runs
//   tmo_q {"id":N,"dur":MS,"rep":0|1} / tmo_r {"id":N,"st":MS} a Timeout is created / its callback runs
//                                                             (st: the start of its current period)
//   throw                                                     an exception reached the top of a callback
//                                                             (Node then runs the next timer or immediate
//                                                             before the thrower's ticks)
//   exit                                                      the thread is exiting ('exit' is emitted): what
//                                                             it queued from now on, or had queued, never runs
// These names and fields are fakeos/base/trace_schema.h's (trace::program); the preload cannot include the
// header, and tests/e2e/check_preload_test.cc holds what it writes to the header's names.
// A promise reaction job is queued when both its promise exists and the promise it follows has settled;
// promises whose parent was never seen (created before this file ran) and await continuations (whose V8
// parent is the async function's own promise) are not followed: missing events only weaken the checks.
'use strict';
(() => {
  const fs = require('fs');
  const asyncHooks = require('async_hooks');
  const v8 = require('v8');

  let fd;
  try {
    fd = fs.openSync('/dev/loopsim-trace', 'w');
  } catch {
    return;  // not under loopsim: observe nothing
  }
  const emit = (line) => fs.writeSync(fd, line + '\n');

  // The events' names (trace::program in fakeos/base/trace_schema.h).
  const EV = {
    queue: 'q', run: 'r', immediateQueue: 'imm_q', immediateRun: 'imm_r', timeoutQueue: 'tmo_q',
    timeoutRun: 'tmo_r', throw: 'throw', exit: 'exit',
  };

  // Test-only: the mutation switch `run --test-mutation defer-ticks` sets before this file runs (see
  // sim/check.cc). It breaks the drain rule on purpose: each nextTick callback runs from an immediate, as if
  // the loop skipped the drain after a callback. Removed at once, so the program never sees it.
  const kMutations = Symbol.for('loopsim.check.mutations');
  const mutations = globalThis[kMutations] || [];
  delete globalThis[kMutations];

  // The kind of every async resource seen, so the context a job is queued from can be classified.
  const kinds = new Map();
  const microtaskKinds = new Set(['PROMISE', 'Microtask']);
  // Counts the hooks' before and after calls, so two executions of one resource (an interval's runs, the
  // main script and a later 'exit' listener) are told apart.
  let serial = 0;
  const context = () => {
    const c = asyncHooks.executionAsyncId();
    return `"c":${c},"cs":${serial},"ck":"${microtaskKinds.has(kinds.get(c)) ? 'm' : 'o'}"`;
  };
  const tracked = new Map([['TickObject', 'tick'], ['Microtask', 'mt']]);
  const timeouts = new Map();
  const immediates = new Set();
  asyncHooks.createHook({
    init(id, type, trigger, resource) {
      kinds.set(id, type);
      const j = tracked.get(type);
      if (j !== undefined) {
        emit(`${EV.queue} {"j":"${j}","id":${id},${context()}}`);
      } else if (type === 'Immediate') {
        immediates.add(id);
        emit(`${EV.immediateQueue} {"id":${id}}`);
      } else if (type === 'Timeout') {
        timeouts.set(id, resource);
        emit(`${EV.timeoutQueue} {"id":${id},"dur":${resource._idleTimeout},"rep":${resource._repeat ? 1 : 0}}`);
      }
    },
    before(id) {
      ++serial;
      const j = tracked.get(kinds.get(id));
      if (j !== undefined) emit(`${EV.run} {"j":"${j}","id":${id}}`);
      else if (immediates.has(id)) emit(`${EV.immediateRun} {"id":${id}}`);
      else if (timeouts.has(id)) {
        const timeout = timeouts.get(id);
        emit(`${EV.timeoutRun} {"id":${id},"st":${timeout._idleStart}}`);
        if (!timeout._repeat) timeouts.delete(id);
      }
    },
    after() {
      ++serial;
    },
  }).enable();

  // A monitor listener does not handle the exception: Node reports or handles it as it would anyway.
  process.on('uncaughtExceptionMonitor', () => emit(EV.throw));
  process.on('exit', () => emit(EV.exit));

  // Promise reaction jobs. ids are our own; `children` holds the derived promises of a pending parent.
  let lastPromiseId = 0;
  const ids = new WeakMap();
  const settled = new WeakSet();
  const children = new WeakMap();
  const ran = new WeakSet();
  const queue = (p) => emit(`${EV.queue} {"j":"prom","id":${ids.get(p)},${context()}}`);
  v8.promiseHooks.createHook({
    init(promise, parent) {
      ids.set(promise, ++lastPromiseId);
      if (parent === undefined || !ids.has(parent)) return;
      if (settled.has(parent)) {
        queue(promise);
      } else {
        const list = children.get(parent);
        if (list === undefined) children.set(parent, [promise]);
        else list.push(promise);
      }
    },
    settled(promise) {
      if (!ids.has(promise)) return;
      settled.add(promise);
      const list = children.get(promise);
      if (list === undefined) return;
      children.delete(promise);
      // A child that settled already was no reaction: V8 gives an await's wrapper promise the async
      // function's promise as parent, and settles it at once.
      for (const child of list) {
        if (!ran.has(child) && !settled.has(child)) queue(child);
      }
    },
    before(promise) {
      if (!ids.has(promise) || ran.has(promise)) return;
      ran.add(promise);
      emit(`${EV.run} {"j":"prom","id":${ids.get(promise)}}`);
    },
  });

  if (mutations.includes('defer-ticks')) {
    // Queue the tick as usual (its events are the real ones), but run its callback only from an immediate.
    const { AsyncResource } = asyncHooks;
    process.nextTick = function deferredNextTick(callback, ...args) {
      const resource = new AsyncResource('TickObject');
      setImmediate(() => resource.runInAsyncScope(callback, undefined, ...args));
    };
  }
})();
