// `loopsim run --check`: runs the program with the check preload (sim/check_preload.js) installed, keeps
// its trace (in a temporary file unless --trace names one) and, when the run ends, checks the trace with
// the invariant monitor (sim/invariants.h). A violation is printed on stderr as
//   loopsim: invariant violated: NAME (seed S): WHAT
//     trace:LINE: EVENT ...
// and the run's exit code becomes kInvariantViolationExit instead of the program's own (run_launch.h).
// The run record, when the run leaves one, says so too: it stops as trace::stop::kInvariant with the
// first violation ("NAME: WHAT", without the seed) as its message, which is what triage reads.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fakeos/base/trace_schema.h"

namespace loopsim::sim {

inline constexpr int kInvariantViolationExit = trace::kInvariantViolationExit;

// Test mutations that live in the check preload rather than in the loop: "defer-ticks" runs every
// process.nextTick callback from an immediate, as if the loop skipped the drain after each callback;
// "swap-messages" makes each port deliver its first two messages of plain values the other way round
// (Node keeps a port's queue itself, out of the simulated libuv's reach).
bool IsCheckPreloadMutation(const std::string& name);

struct CheckSetUp {
  std::string preload;               // host path of the preload to install
  std::string trace;                 // the trace to write and check
  std::vector<std::string> scratch;  // temporary files made for it, to remove after the run
};

// Prepares a checked run whose trace goes to `trace_path` ("" for a temporary file). Refuses a user
// preload, which --check cannot combine with.
absl::StatusOr<CheckSetUp> SetUpCheck(const std::string& user_preload, const std::vector<std::string>& mutations,
                                      const std::string& trace_path);

}  // namespace loopsim::sim
