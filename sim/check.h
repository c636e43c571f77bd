// `loopsim run --check`: runs the program with the check preload (sim/check_preload.js) installed, keeps
// its trace (in a temporary file unless --trace names one) and, when the run ends, checks the trace with
// the invariant monitor (sim/invariants.h). A violation is printed on stderr as
//   loopsim: invariant violated: NAME (seed S): WHAT
//     trace:LINE: EVENT ...
// and the process exits with kInvariantViolationExit instead of the program's own exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace loopsim::sim {

inline constexpr int kInvariantViolationExit = 65;

// Test mutations that live in the check preload rather than in the loop: "defer-ticks" runs every
// process.nextTick callback from an immediate, as if the loop skipped the drain after each callback.
bool IsCheckPreloadMutation(const std::string& name);

// Prepares a checked run: sets the trace path (a temporary file if none) and the end-of-run check in
// `options`, and returns the host path of the preload to install. Refuses (message, exit 2) a user
// preload, which --check cannot combine with yet.
std::string SetUpCheck(uint64_t seed, const std::string& user_preload, const std::vector<std::string>& mutations,
                       runtime::RuntimeOptions* options);

}  // namespace loopsim::sim
