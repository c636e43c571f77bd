// loopsim's instrumentation for `run --check`: reports to the trace sink when the program's JavaScript-level
// jobs are queued and when they run, so the invariant monitor (sim/invariants.h) can check what the loop
// trace alone cannot show: the nextTick/microtask drains, the immediates' iterations, the JS timers.
//
// It only observes. Apart from two methods of MessagePort (below) it wraps nothing the program calls (a
// wrapper shows in stack traces); it uses async_hooks (ticks, queueMicrotask, immediates, timeouts) and
// v8.promiseHooks (promise reaction jobs), and writes with fs.writeSync to the sink, which the program cannot see. Events (each a line "NAME {json}"):
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
//   msg_send {"d":D} / msg_sent                               a MessagePort's postMessage begins / returned;
//                                                             in between the runtime traces each port the send
//                                                             wakes (async_send, the receiving port's handle)
//   msg_recv {"d":D}                                          a 'message' is dispatched to the program
// D is a digest of the message's content, the same at both ends (a message carries nothing else the
// receiver could name its send by), so the monitor matches receipts to sends by it (message-order rule).
// These names and fields are fakeos/base/trace_schema.h's (trace::program); the preload cannot include the
// header, and tests/e2e/check_preload_test.cc holds what it writes to the header's names.
//
// A promise reaction job is queued when both its promise exists and the promise it follows has settled;
// promises whose parent was never seen (created before this file ran) and await continuations (whose V8
// parent is the async function's own promise) are not followed: missing events only weaken the checks.
//
// For messages it wraps two methods of MessagePort.prototype, through which worker.postMessage,
// parentPort, MessageChannel and BroadcastChannel all send and deliver: postMessage, and the dispatch Node
// calls for each message it delivers. A stack trace through either shows one frame of this file. The
// digest reads a message's own enumerable properties as the structured clone does, so a getter in a
// posted object runs twice under --check.
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
    timeoutRun: 'tmo_r', throw: 'throw', exit: 'exit', messageSend: 'msg_send', messageSent: 'msg_sent',
    messageReceive: 'msg_recv',
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

  // Messages. The digest walks a message as the structured clone copies it (own enumerable properties in
  // order, array elements and holes, map and set entries, the bytes of buffers and views, dates, regular
  // expressions, error messages, shared references), so the copy a port delivers digests as the original
  // did. It stops after kDigestNodes values and hashes at most kDigestBytes of each string or buffer: what
  // it leaves out only makes two messages digest alike, which weakens the rule and never breaks it.
  const { MessagePort } = require('worker_threads');
  const types = require('util').types;
  const imul = Math.imul;
  const objectKeys = Object.keys;
  const isArray = Array.isArray;
  const tagOf = Function.prototype.call.bind(Object.prototype.toString);
  const timeOf = Function.prototype.call.bind(Date.prototype.getTime);
  const mapEntries = Function.prototype.call.bind(Map.prototype.entries);
  const setValues = Function.prototype.call.bind(Set.prototype.values);
  const apply = Reflect.apply;
  const kDigestNodes = 4096;
  const kDigestBytes = 65536;
  const digest = (value) => {
    let h = 0x811c9dc5 | 0;
    let nodes = 0;
    const seen = new Map();
    const mix = (n) => { h = imul(h ^ n, 0x01000193); };
    const text = (str) => {
      mix(str.length);
      for (let i = 0; i < str.length && i < kDigestBytes; ++i) mix(str.charCodeAt(i));
    };
    const bytes = (u8) => {
      mix(u8.length);
      for (let i = 0; i < u8.length && i < kDigestBytes; ++i) mix(u8[i]);
    };
    const walk = (v) => {
      if (++nodes > kDigestNodes) return;
      switch (typeof v) {
        case 'string': mix(1); text(v); return;
        case 'number': mix(2); text(`${v}`); return;
        case 'bigint': mix(3); text(`${v}`); return;
        case 'boolean': mix(v ? 4 : 5); return;
        case 'undefined': mix(6); return;
        case 'object': break;
        default: mix(7); return;  // a function or symbol: postMessage refuses it
      }
      if (v === null) return mix(8);
      if (seen.has(v)) return mix(9 + seen.get(v) * 64);
      seen.set(v, seen.size);
      if (types.isArrayBufferView(v)) {
        mix(10);
        text(tagOf(v));
        return bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      }
      if (types.isSharedArrayBuffer(v)) return mix(11);  // shared: its bytes may change on the way
      if (types.isArrayBuffer(v)) return mix(12), bytes(new Uint8Array(v));
      if (types.isDate(v)) return mix(13), text(`${timeOf(v)}`);
      if (types.isRegExp(v)) return mix(14), text(v.source), text(v.flags);
      if (types.isNativeError(v)) return mix(15), text(`${v.message}`);
      if (types.isBoxedPrimitive(v)) return mix(16);
      if (types.isMap(v)) {
        mix(17);
        for (const [k, x] of mapEntries(v)) walk(k), walk(x);
        return;
      }
      if (types.isSet(v)) {
        mix(18);
        for (const x of setValues(v)) walk(x);
        return;
      }
      if (isArray(v)) {
        mix(19);
        mix(v.length);
        for (let i = 0; i < v.length && nodes <= kDigestNodes; ++i) {
          if (i in v) walk(v[i]);
          else mix(20), ++nodes;
        }
        return;
      }
      mix(21);
      for (const k of objectKeys(v)) {
        if (nodes > kDigestNodes) return;
        text(k);
        walk(v[k]);
      }
    };
    try {
      walk(value);
    } catch {
      mix(22);  // a getter threw: postMessage will throw the same
    }
    return h >>> 0;
  };

  const ports = MessagePort.prototype;
  const post = ports.postMessage;
  const postMessage = function postMessage(...args) {
    emit(`${EV.messageSend} {"d":${digest(args[0])}}`);
    try {
      return apply(post, this, args);
    } finally {
      emit(EV.messageSent);
    }
  };
  Object.defineProperty(postMessage, 'length', { value: post.length });
  Object.defineProperty(ports, 'postMessage', { ...Object.getOwnPropertyDescriptor(ports, 'postMessage'),
                                                value: postMessage });
  // Node dispatches each message it delivers through this method (inherited from EventTarget.prototype).
  const kDispatch = Symbol.for('nodejs.internal.kHybridDispatch');
  const dispatch = ports[kDispatch];
  const received = (value, type) => {
    if (type === 'message') emit(`${EV.messageReceive} {"d":${digest(value)}}`);
  };
  let hold = null;
  if (mutations.includes('swap-messages')) {
    // Test-only (`run --test-mutation swap-messages`): breaks the message-order rule on purpose. Of the
    // first two messages of plain values (Node's own are objects) a port delivers, the first waits until
    // the second has been dispatched, or until an immediate if no second comes. Returns whether the
    // message was held.
    const held = new Map();
    const swapped = new WeakSet();
    const deliver = (port, args) => {
      received(args[0], args[1]);
      return apply(dispatch, port, args);
    };
    hold = (port, args) => {
      const plain = args[1] === 'message' && (typeof args[0] !== 'object' || args[0] === null);
      if (!plain || swapped.has(port)) return false;
      const first = held.get(port);
      held.delete(port);
      if (first === undefined) {
        held.set(port, args);
        setImmediate(() => {
          const waiting = held.get(port);
          if (waiting === undefined) return;
          held.delete(port);
          swapped.add(port);
          deliver(port, waiting);
        });
        return true;
      }
      swapped.add(port);
      deliver(port, args);
      deliver(port, first);
      return true;
    };
  }
  if (typeof dispatch === 'function') {
    const wrapper = {
      [kDispatch](...args) {
        if (hold !== null && hold(this, args)) return undefined;
        received(args[0], args[1]);
        return apply(dispatch, this, args);
      },
    };
    Object.defineProperty(ports, kDispatch, { value: wrapper[kDispatch], writable: true, configurable: true });
  }

  if (mutations.includes('defer-ticks')) {
    // Queue the tick as usual (its events are the real ones), but run its callback only from an immediate.
    const { AsyncResource } = asyncHooks;
    process.nextTick = function deferredNextTick(callback, ...args) {
      const resource = new AsyncResource('TickObject');
      setImmediate(() => resource.runInAsyncScope(callback, undefined, ...args));
    };
  }
})();
