// See check.h. The temporary files live on the host (they are loopsim's, not the program's): the trace,
// and for preload mutations a copy of the check preload behind a line that switches the mutation on.
#include "sim/check.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/invariants.h"

namespace loopsim::sim {

namespace {

[[noreturn]] void Refuse(const std::string& message) {
  std::fprintf(stderr, "loopsim: %s\n", message.c_str());
  _exit(2);
}

// Creates an empty host temporary file and returns its path.
std::string TempFile(const char* suffix) {
  std::string path = std::string("/tmp/loopsim-check-XXXXXX") + suffix;
  const int fd = mkstemps(path.data(), static_cast<int>(std::string(suffix).size()));
  if (fd < 0) Refuse("--check cannot create a temporary file in /tmp");
  close(fd);
  return path;
}

}  // namespace

bool IsCheckPreloadMutation(const std::string& name) { return name == "defer-ticks"; }

std::string SetUpCheck(uint64_t seed, const std::string& user_preload, const std::vector<std::string>& mutations,
                       runtime::RuntimeOptions* options) {
  if (!user_preload.empty()) Refuse("--check installs its own preload and cannot be combined with --preload yet");
  std::string preload = LOOPSIM_CHECK_PRELOAD;
  bool temp_preload = false;
  if (!mutations.empty()) {
    std::ifstream in(preload);
    std::stringstream body;
    body << in.rdbuf();
    if (!in) Refuse("cannot read the check preload " + preload);
    std::string names;
    for (const std::string& m : mutations) names += (names.empty() ? "\"" : ",\"") + m + "\"";
    preload = TempFile(".js");
    temp_preload = true;
    std::ofstream out(preload);
    out << "globalThis[Symbol.for('loopsim.check.mutations')] = [" << names << "];\n" << body.str();
    if (!out) Refuse("cannot write " + preload);
  }
  const bool temp_trace = options->trace_path.empty();
  if (temp_trace) options->trace_path = TempFile(".jsonl");
  const std::string trace = options->trace_path;
  options->on_finish = [seed, trace, temp_trace, preload, temp_preload](const std::string&, int) {
    const CheckResult result = CheckTraceFile(trace);
    if (temp_trace) unlink(trace.c_str());
    if (temp_preload) unlink(preload.c_str());
    if (!result.parse_error.empty()) {
      std::fprintf(stderr, "loopsim: --check could not read the trace: %s\n", result.parse_error.c_str());
      _exit(2);
    }
    if (result.violations.empty()) return;
    for (const Violation& v : result.violations) std::fprintf(stderr, "loopsim: %s", FormatViolation(v, seed).c_str());
    std::fflush(stderr);
    _exit(kInvariantViolationExit);
  };
  return preload;
}

}  // namespace loopsim::sim
