// The Node host: embeds libnode on the simulated libuv and runs one program, as `node SCRIPT ARGS...`
// would, on loopsim's single-threaded platform with time and entropy pinned to the seed.
#pragma once

#include <string>
#include <vector>

namespace loopsim::node_host {

struct ProgramOptions {
  std::string script;               // as the user gave it (relative to host_cwd or absolute)
  std::vector<std::string> args;    // the program's own arguments
  std::string host_cwd;             // the directory loopsim was started in
  std::string builtins_dir;         // host directory holding what libnode reads from /usr/share/nodejs
  std::string preload;              // host path of a script to require before the program ("" = none)
  uint64_t seed = 0;
};

// Makes the program's files visible in the virtual file system: its directory, the node_modules and
// package.json files of every directory above it, libnode's builtins, a writable /tmp and the cwd, the
// preload (at kPreloadPath), and the trace sink: each line a program writes to kTraceSinkPath, "NAME" or
// "NAME {json fields}", becomes a "js.NAME" event in the trace at the current iteration and phase.
inline constexpr char kPreloadPath[] = "/loopsim/preload.js";
inline constexpr char kTraceSinkPath[] = "/dev/loopsim-trace";
void MountProgram(const ProgramOptions& options);

// Boots Node and runs the program to its end on the already-started runtime, then ends the process with
// the program's exit code (as node would), after flushing the trace.
[[noreturn]] void RunProgram(const ProgramOptions& options);

}  // namespace loopsim::node_host
