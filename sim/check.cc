// See check.h. The temporary files live on the host (they are loopsim's, not the program's): the trace,
// and for preload mutations a copy of the check preload behind a line that switches the mutation on.
#include "sim/check.h"

#include <unistd.h>

#include <fstream>

#include "absl/status/status.h"
#include "sim/host_files.h"

namespace loopsim::sim {

namespace {

// An empty host temporary file for --check.
absl::StatusOr<std::string> CheckTempFile(const std::string& suffix) {
  absl::StatusOr<std::string> path = TempFile("loopsim-check", suffix);
  if (!path.ok()) return absl::InternalError("--check " + std::string(path.status().message()));
  return path;
}

}  // namespace

bool IsCheckPreloadMutation(const std::string& name) { return name == "defer-ticks" || name == "swap-messages"; }

absl::StatusOr<CheckSetUp> SetUpCheck(const std::string& user_preload, const std::vector<std::string>& mutations,
                                      const std::string& trace_path) {
  if (!user_preload.empty()) {
    return absl::InvalidArgumentError("--check installs its own preload and cannot be combined with --preload yet");
  }
  CheckSetUp out;
  out.preload = LOOPSIM_CHECK_PRELOAD;
  if (!mutations.empty()) {
    absl::StatusOr<std::string> body = ReadFile(out.preload);
    if (!body.ok()) return absl::NotFoundError("cannot read the check preload " + out.preload);
    std::string names;
    for (const std::string& m : mutations) names += (names.empty() ? "\"" : ",\"") + m + "\"";
    absl::StatusOr<std::string> copy = CheckTempFile(".js");
    if (!copy.ok()) return copy.status();
    out.preload = *copy;
    out.scratch.push_back(*copy);
    std::ofstream file(out.preload);
    file << "globalThis[Symbol.for('loopsim.check.mutations')] = [" << names << "];\n" << *body;
    if (!file) return absl::InternalError("cannot write " + out.preload);
  }
  out.trace = trace_path;
  if (out.trace.empty()) {
    absl::StatusOr<std::string> trace = CheckTempFile(".jsonl");
    if (!trace.ok()) return trace.status();
    out.trace = *trace;
    out.scratch.push_back(*trace);
  }
  return out;
}

}  // namespace loopsim::sim
