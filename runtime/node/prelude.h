// The JavaScript half of the Node host (host.h), two scripts:
//
// - kWarmUp, called at boot with `process` and Node's internal require, inside the main-thread execution
//   Node has just prepared, before any of the program: it loads and exercises the builtins typical
//   programs use, so a forked child does not compile them again (without a start-up snapshot or code
//   cache, that would be much of a child's work). It must leave nothing a program could see or a seed
//   could change: no timers, immediates, ticks or other async resources (they would move async ids and
//   the loop), no entropy (Node caches it: randomUUID would repeat in every child), no Math.random, no
//   process.stdout/stderr/stdin (their stream type would be fixed before the seed's stdio exists), no
//   thread-pool work.
//
// - kRunMain, compiled at boot and called when the seed begins with `process`, the internal require and
//   the preload's path (or undefined): it does what `node SCRIPT` does between its preparation and the
//   program (argv[1] made absolute, --require, the RegExp statics cleared) and hands the main module to
//   the CommonJS loader, which passes ES modules on to the ESM loader. It is named kRunMainName, and its
//   call of the loader sits where node's own run_main_module has it, so stack traces end alike.
#pragma once

namespace loopsim::node_host {

// `(function (process, require) { ... })`
extern const char kWarmUp[];
// An expression whose value is `function (process, require, preload)`.
extern const char kRunMain[];
extern const char kRunMainName[];

}  // namespace loopsim::node_host
