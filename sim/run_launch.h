// How one seed of a program runs, whoever starts it (`loopsim run`, a zygote's child, the explorer's
// process per seed): the description handed to the node host (runtime/node/launch.h), the node command
// line, and what happens after the run ends: under --check the trace is checked against the invariants
// (a violation is reported and the exit code becomes 65), and --trace-format chrome converts the trace.
// `run` and the zygote runner both use it, so a seed gives the same bytes either way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fakeos/schedule.h"
#include "runtime/node/launch.h"
#include "sim/cli.h"

namespace loopsim::sim {

struct PreparedRun {
  node_host::Launch launch;
  std::vector<std::string> node_argv;  // node's command line, the binary first
  std::vector<std::string> node_env;   // node's environment, NAME=VALUE
  // After the run.
  uint64_t seed = 0;                  // the seed the run draws from (a schedule's own), for messages
  bool check = false;
  std::string check_trace;            // the trace --check reads
  std::vector<std::string> scratch;   // loopsim's temporary files of this run, removed at the end
  std::string warnings;               // loopsim's lines to print before the run starts
  std::string chrome_jsonl, chrome_out;
};

// Prepares `cmd`. Bad input (an unreadable schedule or profile, no node) is an error to print with exit
// code 2.
absl::StatusOr<PreparedRun> PrepareRun(const RunCommand& cmd);

// What the run ended with, as the process that ran it reports it; FinishRun may change it.
struct RunEnd {
  int exit_code = -1;    // when it exited
  int term_signal = 0;   // when a signal killed it
  std::string messages;  // loopsim's own lines to add to the run's stderr
};

// The after-run steps (check, trace conversion, removing scratch files). Runs once per PrepareRun.
void FinishRun(const PreparedRun& run, RunEnd* end);

// Reads a schedule file: NotFound ("cannot read the schedule file PATH") or InvalidArgument ("PATH is not
// a schedule: why") when it cannot.
absl::StatusOr<Schedule> ReadScheduleFile(const std::string& path);

// The identity of a script given as on loopsim's command line (relative to the current directory).
std::optional<ScriptIdentity> ScriptIdentityOf(const std::string& script);

// Whether a schedule was recorded for the program's main script (the same bytes; the path may differ):
// FailedPrecondition, saying what each is, when not. A schedule that names no script (an older
// loopsim's) fits, with a warning added to *warnings.
absl::Status ScheduleFitsScript(const std::string& schedule_path, const Schedule& schedule,
                                const node_host::ProgramLaunch& program, std::string* warnings);

// The environment and command line of node for a launch (a zygote's too).
std::vector<std::string> NodeArgv(const node_host::ProgramLaunch& program);
std::vector<std::string> NodeEnv(const node_host::Launch& launch);

}  // namespace loopsim::sim
