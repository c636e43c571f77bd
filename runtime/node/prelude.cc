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
