// The Node host: embeds libnode on the simulated libuv and runs one program, as `node SCRIPT ARGS...`
// would, on loopsim's single-threaded platform with time and entropy pinned to the seed.
//
// Running a program has two halves with one seam between them. Boot is the same for every seed: Node's
// process initialisation, V8, the environment and Node's whole JavaScript bootstrap, the main-thread
// preparation and a warm-up of the builtins typical programs use, all under the runtime's boot seed and
// without running any of the program. Then the host asks for the seed to run, begins it on the runtime,
// reseeds V8 (Math.random, the isolate's generator) and runs the program's main module from the very
// place `node SCRIPT` runs it, inside Node's start-up, and drives the loop to the end. `loopsim run`
// answers that question at once; a zygote (zygote.h) answers it by forking, once per seed, so each
// child starts from the booted Node. Either way a seed's output, trace and record are the same bytes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace loopsim::node_host {

struct ProgramOptions {
  std::string script;               // as the user gave it (relative to host_cwd or absolute)
  std::vector<std::string> args;    // the program's own arguments
  std::string host_cwd;             // the directory loopsim was started in
  std::string builtins_dir;         // host directory holding what libnode reads from /usr/share/nodejs
  std::string preload;              // host path of a script to require before the program ("" = none)
  bool warm_up = true;              // exercise typical builtins at boot (false: a cold boot, to compare)

  bool operator==(const ProgramOptions&) const = default;
};

// Makes the program's files visible in the virtual file system: its directory, the node_modules and
// package.json files of every directory above it, libnode's builtins, a writable /tmp and the cwd, the
// preload (at kPreloadPath), and the trace sink: each line a program writes to kTraceSinkPath, "NAME" or
// "NAME {json fields}", becomes a "js.NAME" event in the trace at the current iteration and phase.
inline constexpr char kPreloadPath[] = "/loopsim/preload.js";
inline constexpr char kTraceSinkPath[] = "/dev/loopsim-trace";
void MountProgram(const ProgramOptions& options);

// The seed to run, and whom to tell when the program's main module has returned (a zygote's cost
// figures; may be null).
struct SeedStart {
  runtime::SeedOptions seed;
  std::function<void()> main_returned;
};

// Called once, when Node is booted and before any of the program has run, with the seed the runtime was
// started with (Runtime::StartBooting kept it); returns the seed to run. Called inside Node's start-up,
// with exactly one thread in the process: the place a zygote forks.
using SeedSource = std::function<SeedStart(runtime::SeedOptions started_with)>;

// Boots Node on a runtime started with Runtime::StartBooting (and the program mounted), takes the seed
// to run from `next_seed` and runs the program to its end on it, then ends the process with the
// program's exit code (as node would), after flushing the trace.
[[noreturn]] void RunProgram(const ProgramOptions& options, const SeedSource& next_seed);

// `loopsim run`: the seed the runtime was started with.
[[noreturn]] void RunProgram(const ProgramOptions& options);

}  // namespace loopsim::node_host
