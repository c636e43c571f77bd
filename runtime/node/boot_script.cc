// See boot_script.h. The warm-up uses public APIs only (the script is an ordinary preload); it takes no
// async id, queues nothing, draws no entropy and leaves no file, so the program starts as it would in a
// process that never warmed up.
#include "runtime/node/boot_script.h"

#include <nlohmann/json.hpp>

namespace loopsim::node_host {

namespace {

const char kWarmUp[] = R"JS(
function loopsimWarmUp() {
  // Loading a builtin compiles and runs its top level only; the functions a program calls are compiled
  // when first called, so the common ones are called here, on objects of the warm-up's own. Not 'dns':
  // loading it makes the default resolver, which takes an async id.
  for (const id of ['fs', 'fs/promises', 'events', 'timers', 'timers/promises', 'util', 'assert', 'buffer',
                    'stream', 'string_decoder', 'url', 'os', 'querystring', 'readline', 'zlib', 'crypto', 'net',
                    'http', 'path', 'dgram']) {
    require(id);
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
    fs.unlinkSync(main);
    fs.rmdirSync(dir);
  } finally {
    process._exiting = false;
  }
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

}  // namespace

std::string BootScript(const std::string& library, const std::string& exec_argv, bool warm_up) {
  std::string s = "'use strict';\n// loopsim's boot script: runs while node boots, before any of the program.\n";
  if (warm_up) s += kWarmUp;
  s += kProgramFrame;
  // A worker's thread runs the preloads of the main one: the seam is the main thread's alone.
  s += "if (require('worker_threads').isMainThread) {\n";
  s += "  const bridge = { exports: {} };\n";
  s += "  process.dlopen(bridge, " + nlohmann::json(library).dump() + ");\n";
  if (warm_up) s += "  loopsimWarmUp();\n";
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
