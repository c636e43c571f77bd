// See boot_script.h. The warm-up uses public APIs only (the script is an ordinary preload); it takes no
// async id, queues nothing, draws no entropy and leaves no file, so the program starts as it would in a
// process that never warmed up.
#include "runtime/node/boot_script.h"

#include <nlohmann/json.hpp>

namespace loopsim::node_host {

namespace {

const char kWarmUp[] = R"JS(
// Objects the rehearsal keeps for as long as the process lives (see loopsimWarmUpQueues); out of the
// program's reach, in the preload's own scope.
const loopsimKept = [];
function loopsimWarmUp(bridge) {
  // Loading a builtin compiles and runs its top level only; the functions a program calls are compiled
  // when first called, so the common ones are called here, on objects of the warm-up's own. Not 'dns':
  // loading it makes the default resolver, which takes an async id.
  // net and fs.promises are compiled whole as they load (V8's eager compilation, for these two alone):
  // a seed that listens, connects or calls fs.promises would otherwise compile dozens of their functions
  // (a TCP echo 94 functions a seed, 55 with this; an fs read-modify-write 46, 20). The other builtins
  // stay lazy: compiling all of them whole made every zygote's boot 25 ms longer.
  // (A user's --no-lazy compiles everything whole already, and must stay set.)
  const v8 = require('v8');
  const lazyByDefault = !process.execArgv.some((option) => /^--no[-_]?lazy$/.test(option));
  for (const id of ['fs', 'fs/promises', 'events', 'timers', 'timers/promises', 'util', 'assert', 'buffer',
                    'stream', 'string_decoder', 'url', 'os', 'querystring', 'readline', 'zlib', 'crypto', 'net',
                    'http', 'path', 'dgram']) {
    const whole = lazyByDefault && (id === 'net' || id === 'fs/promises');
    if (whole) v8.setFlagsFromString('--no-lazy');
    require(id);
    if (whole) v8.setFlagsFromString('--lazy');
  }
  // process.nextTick does nothing while the process is exiting: the streams below queue their
  // after-write ticks there, and a tick would take an async id the program's first one must get.
  process._exiting = true;
  const fs = require('fs');
  const path = require('path');
  const Module = require('module');
  // A directory of the warm-up's own, so that what the loader caches about it is about paths no program
  // uses; everything in it is removed again.
  const dir = '/loopsim-warm-up';
  const main = path.join(dir, 'main.js');
  try {
    fs.mkdirSync(dir);
    fs.writeFileSync(main, "'use strict';\nconst path = require('path');\nmodule.exports = path.join('a', 'b');\n");
    Module._load(main, null, false);
    delete Module._cache[main];
    // The loader's entry and its path resolution run often enough here that V8 queues them for baseline
    // code at boot (see loopsimFlushBaselineBatch), not in every seed, as it loads the main module.
    for (let i = 0; i < 16; i++) {
      require('path');
      fs.realpathSync(main);
    }
    for (const key of Object.keys(Module._pathCache)) {
      if (key.includes(dir)) delete Module._pathCache[key];
    }
    const { Writable } = require('stream');
    const sink = new Writable({ write(chunk, encoding, callback) { callback(); } });
    const { Console } = require('console');
    const out = new Console({ stdout: sink, stderr: sink });
    const value = { n: 1, s: 'x', a: [1, 2, 3], o: { d: new Date(0), m: new Map([[1, 'a']]), set: new Set([1]) } };
    out.log('%s %d %i %j %o', 'text', 42, 7, value, value);
    out.log(value, [value], 'text', 1.5, null, undefined, true, 10n, Symbol('s'), () => 1);
    out.error(new Error('warm-up'));
    out.info(Buffer.from('warm-up').toString('hex'), JSON.stringify(value));
    // The address checks of net (isIP, isIPv4, isIPv6: a listen or connect makes them) are regular
    // expressions V8 compiles on their first runs, to bytecode and then to machine code: large ones
    // (IPv6's), a fifth of a TCP seed's time on Node 22 when each seed compiled them again.
    const net = require('net');
    for (let i = 0; i < 3; i++) {
      for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', 'fe80::1%eth0', 'localhost']) net.isIP(address);
    }
    fs.unlinkSync(main);
    fs.rmdirSync(dir);
  } finally {
    process._exiting = false;
  }
  loopsimWarmUpStreams();
  loopsimWarmUpQueues(bridge);
}
// Streams and sockets as a program uses them, what they queue on ticks run too: a pass-through, one piped
// into a writable, a socket never connected and a server never listening, the warm-up's own, without a
// handle (so without an async id), and an emitter's less common paths (a listener that returns a
// value, one removed from the middle). The ticks go to the warm-up's own queue, not node's: a tick takes
// an async id, and node's tick loop learns nothing of callbacks no program queues. Not a socket's
// encoding, pause and resume: what they teach node's shared functions made 200,000 timers slower in
// every seed (measured); the pipe, measured again with the ticks in the warm-up's queue, did not.
function loopsimWarmUpStreams() {
  const nodeNextTick = process.nextTick;
  const ticks = [];
  process.nextTick = function nextTick(callback, ...args) {
    ticks.push(() => Reflect.apply(callback, undefined, args));
  };
  try {
    const { PassThrough } = require('stream');
    const net = require('net');
    const through = new PassThrough();
    through.on('data', () => {});
    through.on('end', () => {});
    through.end('warm-up');
    const socket = new net.Socket();
    socket.on('data', () => {});
    socket.on('end', () => {});
    socket.destroy();
    const server = net.createServer(() => {});
    server.on('close', () => {});
    server.close();
    const { Writable } = require('stream');
    const source = new PassThrough();
    const sink = new Writable({ write(chunk, encoding, callback) { callback(); } });
    // Not ended through the pipe: a pipe that ends its destination compares it with process.stdout, whose
    // getter would make the stdout stream now, for the boot's descriptor 1 and not the seed's.
    source.pipe(sink, { end: false });
    // What a piping program asks of its source: called here, compiled here.
    if (!source.isPaused() && source.readable && !source.destroyed) source.end('warm-up');
    const EventEmitter = require('events');
    const emitter = new EventEmitter();
    const listeners = [() => 1, () => 2, () => 3];
    for (const listener of listeners) emitter.on('warm-up', listener);
    emitter.emit('warm-up');
    emitter.removeListener('warm-up', listeners[1]);
    for (let i = 0; i < ticks.length; i++) ticks[i]();
  } finally {
    process.nextTick = nodeNextTick;
  }
}
// Node's tick queue, timers and immediates as the loop runs them (processTicksAndRejections,
// processTimers, listOnTimeout, processImmediate, the timer lists and their queue), in a rehearsal on
// node's own loop (the bridge: plain decisions, then the clock, the loop and the ids put back). Each
// takes an async id, so this runs only where the bridge finds node's id counter, and puts it back: the
// program's first resource has the id it has in a fresh process. The preload runs inside node's
// outermost callback scope, so nothing drains ticks and microtasks after a callback: the rehearsal does,
// between loop turns.
// Where loopsimFastTiers knows V8's thresholds, it also runs long enough for V8 to optimise node's timer
// functions here, once per zygote: under --predictable V8 optimises on the program's thread, and a seed
// that sleeps often paid for it (half of an hour of 1 s sleeps). Four things make that code serve the
// seeds:
// - V8's thresholds for optimising are a sixteenth while it runs, so that 300 rounds suffice (3,000 at the
//   defaults cost every boot 40 ms; fewer left node's functions hot but not optimised, and each seed then
//   optimised them early);
// - every round sleeps on a timer of its own with three more in the same list (one loop turn each, as a
//   sleeping program's), and a timer with an argument and an immediate go with some, to different
//   callbacks: the code is made for more than one caller and one shape;
// - inlining is off while it runs: each of node's functions is optimised whole, where inlined into the
//   rehearsal's own caller it would only serve that caller; the rehearsal's own functions (named
//   loopsim...) are not optimised at all;
// - the last timer, its list and the last immediate are kept (loopsimKept): optimised code refers to
//   the hidden classes of the objects it saw, and the boot's collection would drop them, with the code,
//   were no object of theirs left.
// No more ticks than the one: a tick callback of the rehearsal's own in node's tick loop made a program's
// chained nextTick 3x slower.
function loopsimWarmUpQueues(bridge) {
  const counter = bridge.asyncIdCounter();
  if (counter < 0 || typeof process._tickCallback !== 'function') return;
  const tiers = loopsimFastTiers();
  bridge.beginRehearsal();
  if (tiers) tiers.lower();
  try {
    let pending = 0;
    let timers = 3;
    let immediates = 2;
    const timer = () => { if (--timers > 0) setTimeout(timer, timers); else pending--; };
    const immediate = () => { if (--immediates > 0) setImmediate(immediate); else pending--; };
    pending += 2;
    process.nextTick(() => {});
    setTimeout(timer, 1);
    setImmediate(immediate);
    if (tiers) {
      pending++;
      loopsimSleepRounds(300).then(() => { pending--; });
    }
    // Turned until its own callbacks are done, not until the loop is empty: a handle node keeps
    // referenced at boot would otherwise keep it turning.
    for (let turn = 0; turn < 1000 && pending > 0; turn++) {
      process._tickCallback();
      bridge.runLoopOnce();
    }
    process._tickCallback();
  } finally {
    if (tiers) tiers.restore(bridge);
    bridge.endRehearsal();
    bridge.setAsyncIdCounter(counter);
  }
}
async function loopsimSleepRounds(rounds) {
  const done = [function loopsimFired() {}, function loopsimFiredWith(round) { return round; },
                function loopsimToo() {}];
  const sleep = function loopsimSleep(ms) {
    return new Promise(function loopsimSleepUntil(resolve) {
      const timeout = setTimeout(resolve, ms);
      loopsimKept[0] = timeout;
      loopsimKept[1] = timeout._idlePrev;
    });
  };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 3; i++) setTimeout(done[i], 1000, round);
    await sleep(1000);
    if (round % 8 === 0) {
      setTimeout(done[round % 3], round % 5, round);
      loopsimKept[2] = setImmediate(done[(round + 1) % 3], round);
    }
  }
}
// V8's flags the rehearsal changes while it runs, as [flag, default, value while it runs], for the V8s of
// node 18, 20 and 22. The thresholds for optimising a function are a sixteenth; the young generation
// does not grow (the rehearsal's survivors add up to what makes V8 double it, and a seed then wrote 2 MB
// of it before each collection instead of 1: 200,000 chained promise callbacks 10.5 -> 11.5 ms); and on
// each of them inlining is off and the rehearsal's own functions are left to the interpreter
// (loopsimRehearsalCompiler). Another V8, or a node whose command line sets one of these flags, keeps its
// flags and rehearses briefly.
// Node 24 and 26 go through Maglev first, and there the lowered thresholds left functions half-warm that
// every seed then compiled (a timers+promises seed 2.8 -> 3.3 ms), while their hour of 1 s sleeps
// already took 15-17 ms.
const loopsimRehearsalFlags = {
  '10.2': [['interrupt-budget', 135168, 8448], ['semi-space-growth-factor', 2, 1]],
  '11.3': [['interrupt-budget', 67584, 4224], ['minimum-invocations-after-ic-update', 500, 32],
           ['semi-space-growth-factor', 2, 1]],
  '12.4': [['invocation-count-for-turbofan', 3000, 188], ['invocation-count-for-maglev', 400, 25],
           ['minimum-invocations-after-ic-update', 500, 32], ['semi-space-growth-factor', 2, 1]],
};
const loopsimRehearsalCompiler = [['turbo-inlining', true, false], ['turbo-filter', '*', '-loopsim*']];
function loopsimFastTiers() {
  const tiers = loopsimRehearsalFlags[process.versions.v8.split('.').slice(0, 2).join('.')];
  if (tiers === undefined) return undefined;
  const flags = [...tiers, ...loopsimRehearsalCompiler];
  const name = (option) => option.replace(/^--(no-)?/, '').split('=')[0].replace(/_/g, '-');
  const named = new Set(process.execArgv.map(name));
  if (flags.some(([flag]) => named.has(flag))) return undefined;
  const v8 = require('v8');
  const young = 'semi-space-growth-factor';
  const option = ([flag, value]) => {
    if (typeof value === 'boolean') return value ? `--${flag}` : `--no-${flag}`;
    return `--${flag}=${value}`;
  };
  return {
    lower: () => {
      for (const [flag, , during] of flags) v8.setFlagsFromString(option([flag, during]));
    },
    // The young generation's growth is put back after the boot's collection: V8 adds up what survives
    // its collections, grows the young generation when that passes its size and counts again from
    // zero, and the rehearsal's count would have made the seed's first collection grow it.
    restore: (bridge) => {
      for (const flag of flags) if (flag[0] !== young) v8.setFlagsFromString(option(flag));
      bridge.flagsAfterBootCollection(flags.filter((flag) => flag[0] === young).map(option).join(' '));
    },
  };
}
)JS";

// The program's own frame nearest the top of the stack, as Node prints a frame ("fn (/app.js:3:9)",
// "/app.js:3:9"): the first that is neither Node's (node:...), loopsim's (/loopsim/) nor a package's
// (node_modules), else the first that is neither Node's nor loopsim's; "" when none. V8's call sites are
// read through a prepareStackTrace of its own for the moment of the capture; the program's own is put
// back before anything else runs. Triage takes the frame as the place a non-zero exit came from.
const char kProgramFrame[] = R"JS(
function loopsimProgramFrame() {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const capture = (depth) => {
    Error.stackTraceLimit = depth;
    const holder = {};
    Error.captureStackTrace(holder, loopsimProgramFrame);
    return holder.stack;
  };
  const pick = (sites) => {
    let fallback = '';
    for (const site of sites) {
      const file = site.getFileName();
      if (!file || file.startsWith('node:') || file.startsWith('/loopsim/')) continue;
      const where = `${file}:${site.getLineNumber()}:${site.getColumnNumber()}`;
      const name = site.getFunctionName();
      const frame = name ? `${name} (${where})` : where;
      if (!file.includes('/node_modules/')) return frame;
      if (!fallback) fallback = frame;
    }
    return fallback;
  };
  try {
    Error.prepareStackTrace = (error, sites) => sites;
    // Capturing costs by the frame: look deeper only when the shallow stack has none of the program's.
    const frame = pick(capture(12));
    return frame && !frame.includes('/node_modules/') ? frame : pick(capture(64));
  } catch {
    return '';
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
)JS";


// Node programs as simulated processes (runtime/uv/process.h). child_process's own spawn runs as
// ever; when the simulated uv_spawn has started a node program, the child is a worker of this binary
// running loopsimChildMain, on a thread the bridge names that process's main thread. The worker is
// unreferenced: the child's process handle keeps its parent alive, as a real child's does.
const char kSimulateChildren[] = R"JS(
function loopsimSimulateChildren(bridge, library, childMain) {
  const { ChildProcess } = require('child_process');
  const nodeSpawn = ChildProcess.prototype.spawn;
  ChildProcess.prototype.spawn = function spawn(options) {
    bridge.expectSpawn();
    const result = Reflect.apply(nodeSpawn, this, arguments);
    const start = bridge.takeChild();
    if (start !== '') loopsimStartChild(bridge, Object.assign(JSON.parse(start), { library, childMain }));
    return result;
  };
}
function loopsimStartChild(bridge, start) {
  const { Worker } = require('worker_threads');
  let env = process.env;
  if (!start.inheritEnv) {
    env = {};
    for (const pair of start.env) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  // The IPC channel is the child main's to open, as node's bootstrap opens it; a worker whose
  // environment names one would answer `process.channel` itself.
  if (env.NODE_CHANNEL_FD !== undefined) {
    start.ipc = { index: Number(env.NODE_CHANNEL_FD), mode: env.NODE_CHANNEL_SERIALIZATION_MODE || 'json' };
    env = { ...env };
    delete env.NODE_CHANNEL_FD;
    delete env.NODE_CHANNEL_SERIALIZATION_MODE;
  }
  const options = { eval: true, env, workerData: { loopsimProcess: start }, stdin: false, stdout: true,
                    stderr: true, execArgv: ['--expose-internals', ...start.execArgv] };
  let worker;
  try {
    bridge.startChild(start.number);
    worker = new Worker(start.childMain, options);
  } catch (error) {
    // Node's options a worker cannot take (process-wide ones) are the parent's already.
    if (!error || error.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    options.execArgv = ['--expose-internals'];
    bridge.startChild(start.number);
    worker = new Worker(start.childMain, options);
  }
  worker.unref();
  // The child's own uncaught errors end it as a process's do (loopsimChildMain); one that reaches
  // here came from loopsim's making of the process.
  worker.on('error', (e) => process._rawDebug('loopsim: a simulated child process failed to start: ' + (e && e.stack)));
}
)JS";

// The child's main script: it makes the worker look like a process's main thread (its argv, execArgv,
// cwd, worker_threads' answers, stdio on its own descriptors, the IPC channel, uncaught errors
// reported and exiting as a main thread's, signal listeners), then runs the program as node runs its
// entry point.
const char kChildMain[] = R"JS(
(function loopsimChildMain() {
  const threads = require('worker_threads');
  const start = threads.workerData.loopsimProcess;
  const bridge = { exports: {} };
  process.dlopen(bridge, start.library);
  bridge.exports.childBegins();
  const nodeEmit = process.emit;
  process.emit = function emit(event) {
    const result = Reflect.apply(nodeEmit, this, arguments);
    if (event === 'exit') bridge.exports.exitCode(Number(process.exitCode) | 0);
    return result;
  };
  threads.isMainThread = true;
  threads.parentPort = null;
  threads.workerData = null;
  threads.threadId = 0;
  const path = require('path');
  const dir = start.cwd ? path.resolve(start.cwd) : process.cwd();
  if (dir !== process.cwd()) process.cwd = function cwd() { return dir; };
  process.execArgv.splice(0, process.execArgv.length, ...start.execArgv);
  const argv = [process.execPath];
  if (!start.hasEval) argv.push(path.resolve(dir, start.script));
  process.argv.splice(0, process.argv.length, ...argv, ...start.args);
  const slot = (i) => start.stdio[i] || { fd: -1, type: 'ignore' };
  const stdio = (stream) => {
    stream._isStdio = true;
    stream.destroySoon = stream.destroy;
    stream._destroy = (error, callback) => callback(error);
    return stream;
  };
  const output = (i) => {
    const { fd, type } = slot(i);
    let stream;
    if (type === 'pipe') {
      stream = new (require('net').Socket)({ fd, readable: false, writable: true });
      stream._type = 'pipe';
      if (stream._handle && stream._handle.unref) stream._handle.unref();
    } else if (type === 'file') {
      const SyncWriteStream = require('internal/fs/sync_write_stream');
      stream = new SyncWriteStream(fd, { autoClose: false });
      stream._type = 'fs';
    } else {
      stream = new (require('stream').Writable)({ write(chunk, encoding, callback) { callback(); } });
    }
    stream.fd = fd;
    return stdio(stream);
  };
  const input = () => {
    const { fd, type } = slot(0);
    let stream;
    if (type === 'pipe') {
      stream = new (require('net').Socket)({ fd, readable: true, writable: false, manualStart: true });
      stream._writableState.ended = true;
    } else if (type === 'file') {
      stream = new (require('fs').ReadStream)(null, { fd, autoClose: false });
    } else {
      stream = new (require('stream').Readable)({ read() { this.push(null); } });
    }
    stream.fd = fd;
    return stream;
  };
  const lazy = (name, make) => {
    let value;
    Object.defineProperty(process, name, {
      configurable: true, enumerable: true, get() { if (value === undefined) value = make(); return value; },
    });
  };
  lazy('stdout', () => output(1));
  lazy('stderr', () => output(2));
  lazy('stdin', input);
  if (start.ipc) {
    const channel = slot(start.ipc.index);
    if (channel.fd >= 0) require('child_process')._forkChild(channel.fd, start.ipc.mode);
  }
  // A cluster worker joins its primary over that channel, as node's bootstrap makes it do.
  if (!start.hasEval && process.env.NODE_UNIQUE_ID !== undefined) {
    require('cluster')._setupWorker();
    delete process.env.NODE_UNIQUE_ID;
  }
  const execution = require('internal/process/execution');
  process._fatalException = execution.onGlobalUncaughtException;
  // A main thread's signal listeners start signal handles; a worker's do nothing.
  const signals = require('internal/process/signal');
  process.on('newListener', signals.startListeningIfSignal);
  process.on('removeListener', signals.stopListeningIfSignal);
  loopsimSimulateChildren(bridge.exports, start.library, start.childMain);
  if (start.hasEval) execution.evalScript('[eval]', start.eval, false, start.print);
  else require('module').runMain();
})();
)JS";

// V8 compiles functions to baseline code (Sparkplug) in batches, once the functions queued for it add up
// to a size (an estimate from their bytecode). What the boot queued and left would be compiled by every
// seed, when one of its own filled the batch. A function whose bytecode alone fills a batch, called
// until V8 queues it, has the batch compiled here instead: its body is kFillerStatements statements of
// integer arithmetic, written out (a Function made from a string would fail under the user's
// --disallow-code-generation-from-strings), and it is called kFillerCalls times from straight-line
// code (a loop would queue the caller too, after the batch).
constexpr int kFillerStatements = 120;
constexpr int kFillerCalls = 40;  // V8 queued it after 12 calls on every node of the matrix
std::string BaselineBatchFlush() {
  std::string s = "function loopsimFlushBaselineBatch() {\n  function filler(x) {\n";
  for (int i = 0; i < kFillerStatements; ++i) s += "    x = (x * 31 + " + std::to_string(i) + ") | 0;\n";
  s += "    return x;\n  }\n  let x = 0;\n";
  for (int i = 0; i < kFillerCalls; ++i) s += "  x = filler(x);\n";
  s += "  return x;\n}\n";
  return s;
}

}  // namespace

std::string BootScript(const std::string& library, const std::string& exec_argv, bool warm_up) {
  std::string s = "'use strict';\n// loopsim's boot script: runs while node boots, before any of the program.\n";
  if (warm_up) s += kWarmUp + BaselineBatchFlush();
  s += kProgramFrame;
  s += kSimulateChildren;
  // A worker's thread runs the preloads of the main one: the seam is the main thread's alone.
  s += "if (require('worker_threads').isMainThread) {\n";
  s += "  const bridge = { exports: {} };\n";
  s += "  process.dlopen(bridge, " + nlohmann::json(library).dump() + ");\n";
  if (warm_up) s += "  loopsimWarmUp(bridge.exports);\n";
  // Before the seed begins: it loads child_process, which a zygote then compiles once, not per seed.
  s += "  loopsimSimulateChildren(bridge.exports, " + nlohmann::json(library).dump() + ", " +
       nlohmann::json(std::string(kSimulateChildren) + kChildMain).dump() + ");\n";
  if (warm_up) s += "  loopsimFlushBaselineBatch();\n";
  s += "  bridge.exports.begin(process.version, loopsimProgramFrame);\n";
  // process.exit() ends in process.reallyExit: the frame that called it is on the stack there.
  s += R"js(  const nodeReallyExit = process.reallyExit;
  process.reallyExit = function reallyExit(code) {
    bridge.exports.exitFrame(loopsimProgramFrame());
    return Reflect.apply(nodeReallyExit, this, arguments);
  };
)js";
  // Node's C++ calls process._fatalException(error, fromPromise) for every error nothing caught; it
  // answers whether an 'uncaughtException' listener took it. One it did not take ends the run.
  s += R"js(  const nodeFatalException = process._fatalException;
  process._fatalException = function _fatalException(error, fromPromise) {
    const handled = Reflect.apply(nodeFatalException, this, arguments);
    if (!handled) bridge.exports.fatal(fromPromise === true);
    return handled;
  };
)js";
  s += "  process.execArgv.splice(0, process.execArgv.length, ..." + exec_argv + ");\n";
  s += "  delete require.cache[__filename];\n";
  s += "}\n";
  return s;
}

}  // namespace loopsim::node_host
