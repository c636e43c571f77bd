// See check.h. The temporary files live on the host (they are loopsim's, not the program's): the trace,
// and for preload mutations a copy of the check preload behind a line that switches the mutation on.
#include "sim/check.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"

namespace loopsim::sim {

namespace {

// Creates an empty host temporary file and returns its path.
absl::StatusOr<std::string> TempFile(const char* suffix) {
  std::string path = std::string("/tmp/loopsim-check-XXXXXX") + suffix;
  const int fd = mkstemps(path.data(), static_cast<int>(std::string(suffix).size()));
  if (fd < 0) return absl::InternalError("--check cannot create a temporary file in /tmp");
  close(fd);
  return path;
}

}  // namespace

bool IsCheckPreloadMutation(const std::string& name) { return name == "defer-ticks"; }

absl::StatusOr<CheckSetUp> SetUpCheck(const std::string& user_preload, const std::vector<std::string>& mutations,
                                      const std::string& trace_path) {
  if (!user_preload.empty()) {
    return absl::InvalidArgumentError("--check installs its own preload and cannot be combined with --preload yet");
  }
  CheckSetUp out;
  out.preload = LOOPSIM_CHECK_PRELOAD;
  if (!mutations.empty()) {
    std::ifstream in(out.preload);
    std::stringstream body;
    body << in.rdbuf();
    if (!in) return absl::NotFoundError("cannot read the check preload " + out.preload);
    std::string names;
    for (const std::string& m : mutations) names += (names.empty() ? "\"" : ",\"") + m + "\"";
    absl::StatusOr<std::string> copy = TempFile(".js");
    if (!copy.ok()) return copy.status();
    out.preload = *copy;
    out.scratch.push_back(*copy);
    std::ofstream file(out.preload);
    file << "globalThis[Symbol.for('loopsim.check.mutations')] = [" << names << "];\n" << body.str();
    if (!file) return absl::InternalError("cannot write " + out.preload);
  }
  out.trace = trace_path;
  if (out.trace.empty()) {
    absl::StatusOr<std::string> trace = TempFile(".jsonl");
    if (!trace.ok()) return trace.status();
    out.trace = *trace;
    out.scratch.push_back(*trace);
  }
  return out;
}

}  // namespace loopsim::sim
