// See prelude.h. The source is one JavaScript expression, kept here as text so the host needs no file at
// run time.
#include "runtime/node/prelude.h"

namespace loopsim::node_host {

const char kWarmUp[] = R"JS(
(function (process, require) {
  'use strict';
  // Loading a builtin compiles and runs its top level only; the functions a program calls are compiled
  // when first called, so the common ones are called here, on objects of the warm-up's own.
  for (const id of [
    'fs', 'fs/promises', 'events', 'timers', 'timers/promises', 'util', 'assert', 'buffer', 'stream',
    'string_decoder', 'url', 'os', 'querystring', 'readline', 'zlib', 'crypto', 'child_process', 'net',
    'internal/fs/sync_write_stream', 'internal/console/constructor', 'internal/modules/esm/loader',
  ]) {
    require(id);
  }

  // process.nextTick does nothing while the process is exiting: the streams below queue their
  // after-write ticks there, and a tick would take an async id the program's first one must get.
  process._exiting = true;
  const fs = require('fs');
  const path = require('path');
  const { Module } = require('internal/modules/cjs/loader');
  // A directory of the warm-up's own, so that what the loader caches about it (package scopes) is about
  // paths no program uses; everything in it is removed again.
  const dir = '/loopsim-warm-up';
  const main = path.join(dir, 'main.js');
  try {
    fs.mkdirSync(dir);
    // Loading a module the way the main module is loaded compiles the CommonJS loader's resolution,
    // file reading, wrapping and require().
    fs.writeFileSync(main, "'use strict';\nconst path = require('path');\nmodule.exports = path.join('a', 'b');\n");
    Module._load(main, null, false);
    delete Module._cache[main];
    for (const key of Object.keys(Module._pathCache)) {
      if (key.startsWith(main) || key.includes(dir)) delete Module._pathCache[key];
    }
    // console.log on a stream like process.stdout's (a synchronous file stream), formatting the usual
    // kinds of values.
    const fd = fs.openSync(path.join(dir, 'out'), 'w');
    const SyncWriteStream = require('internal/fs/sync_write_stream');
    const stream = new SyncWriteStream(fd, { autoClose: false });
    const { Console } = require('internal/console/constructor');
    const out = new Console({ stdout: stream, stderr: stream });
    const value = { n: 1, s: 'x', a: [1, 2, 3], o: { d: new Date(0), m: new Map([[1, 'a']]), set: new Set([1]) } };
    out.log('%s %d %i %j %o', 'text', 42, 7, value, value);
    out.log(value, [value], 'text', 1.5, null, undefined, true, 10n, Symbol('s'), () => 1);
    out.error(new Error('warm-up'));
    out.info(Buffer.from('warm-up').toString('hex'), JSON.stringify(value));
    fs.closeSync(fd);
    fs.unlinkSync(path.join(dir, 'out'));
    fs.unlinkSync(main);
    fs.rmdirSync(dir);
  } finally {
    process._exiting = false;
  }
})
)JS";

const char kRunMainName[] = "node:internal/main/run_main_module";

const char kRunMain[] = R"JS((function () {
  'use strict';
  // Captured at boot, so a preload cannot change what clears the RegExp statics.
  const reflectApply = Reflect.apply;
  const regExpExec = RegExp.prototype.exec;
  return function (process, require, preload) {
    // What `node SCRIPT` does between preparing the main thread and running the main module, for the
    // parts loopsim defers from boot to the seed: the absolute argv[1] is the main entry point;
    // --require modules load (the preload is the program's code, so it never runs at boot);
    // the RegExp statics are cleared so the program sees none of the boot's matches.
    let mainEntry;
    const entry = process.argv[1];
    if (entry && entry[0] !== '-') {
      try {
        mainEntry = require('path').resolve(entry);
        process.argv[1] = mainEntry;
      } catch {
        // As node: keep argv[1] as given.
      }
    }
    if (preload) {
      process.execArgv.unshift('--require', preload);
      require('internal/modules/cjs/loader').Module._preloadModules([preload]);
    }
    reflectApply(regExpExec, /^/, ['']);
    // This script is named as node's run_main_module and the call below sits at its line and column
    // there, so the last frame of a stack trace from the main module reads as node prints it.
  require('internal/modules/cjs/loader').Module.runMain(mainEntry);
  };
})()
)JS";

}  // namespace loopsim::node_host
