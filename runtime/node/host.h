// The Node host: loopsim inside the user's own, unmodified node binary. `loopsim` starts
//   node --no-memory-reducer --predictable --require /loopsim/boot.js [--require PRELOAD]
//        [the user's node options] SCRIPT ARGS...
// with this library preloaded (LD_PRELOAD) and the launch description (launch.h) in the environment.
//
// A run has two halves with one seam between them, as it had when loopsim embedded libnode:
// - Boot, the same for every seed. Before node's own initialisation the library takes over the
//   binary's libuv and OpenSSL entropy (inject.h) and starts the runtime booting (a fixed boot seed whose
//   chooser refuses any decision, virtual time standing still). Node then initialises V8 and its
//   platform, bootstraps, prepares the main thread as for `node SCRIPT`, and loads the boot script
//   (a --require preload, so before any of the program), which warms up the builtins typical programs use
//   and calls into the library.
// - The seed. The library checks that boot left nothing in flight, takes the seed (at once for
//   `loopsim run`; per forked child for a zygote, zygote.h), begins it on the runtime and reseeds V8;
//   the boot script restores what the program sees of node's command line and returns, and node loads
//   the program's preloads and main module from the very place `node SCRIPT` does, and runs its loop on
//   the simulated libuv. The run ends where node's process ends (exit(), interposed): the trace is
//   flushed and the run record written there.
//
// What runs on real libuv: the loops Node keeps for itself on threads of their own (the platform's
// delayed-task scheduler, the watchdog of vm timeouts). Their clocks are the virtual clock, like
// everything in the process; nothing of them reaches the program (V8's background work runs on the
// loop's thread, background.h, so the scheduler has nothing to schedule).
#pragma once

#include <string>

#include "runtime/node/launch.h"

namespace loopsim::node_host {

// Where the boot script and a preload are in the virtual file system, and the trace sink: each line a
// program writes to kTraceSinkPath, "NAME" or "NAME {json fields}", becomes a "js.NAME" event.
inline constexpr char kBootScriptPath[] = "/loopsim/boot.js";
inline constexpr char kPreloadPath[] = "/loopsim/preload.js";
inline constexpr char kTraceSinkPath[] = "/dev/loopsim-trace";
// loopsim's test reporters (sim/reporters/, mounted read-only at kReportersPath when the launch names
// them) write one JSON object per line to kTestSinkPath, {"name", "file", "passed", "message"}: each
// becomes a test of the run record (RunRecord::tests).
inline constexpr char kReportersPath[] = "/loopsim/reporters";
inline constexpr char kTestSinkPath[] = "/dev/loopsim-tests";

// The V8 flags loopsim passes to every node it runs: no memory reducer, whose timers would follow the
// heap rather than the program; predictable, V8's own mode for runs that must repeat: garbage
// collection and compilation on the program's thread, so they happen at the same points in every run
// and a booted node can fork (what V8 still hands to worker threads runs on the loop's, background.h),
// and a young generation V8 does not shrink: it otherwise does (and returns its pages to the system)
// after every scavenge when the program allocates under 1 KB per millisecond of its platform clock,
// which is loopsim's virtual clock, on which a callback takes up to a millisecond (a busy program then
// faulted a semi-space back in for every scavenge: 20,000 page faults in 200,000 chained setImmediate
// callbacks, a sixth of their time). Not --single-threaded, which adds to --predictable only the
// WebAssembly compilation's threads (background.h takes those over) but is counted in V8's flag hash:
// node's code cache for its builtins is refused under it, and every builtin is then compiled from source
// (a zygote's boot 25 ms longer, a TCP echo seed compiling cluster's six modules from source).
inline constexpr const char* kV8Flags[] = {"--no-memory-reducer", "--predictable"};

// The launch this process was started with (valid once the host started).
const Launch& CurrentLaunch();

// Called by the boot script, once, when node is booted and before any of the program has run: settles
// boot, takes the seed (a zygote forks here; only children return) and begins it. `node_version` is
// process.version, for the run record.
void BeginProgram(const std::string& node_version);

// Whether a shared object may be loaded now (addons.cc): while booting, and when the seed that runs
// allows native addons.
bool MayLoadAddons();

// The process ends with `code` (node called exit()): finishes the run, then ends without tearing
// anything else down.
[[noreturn]] void EndProcess(int code);

}  // namespace loopsim::node_host
