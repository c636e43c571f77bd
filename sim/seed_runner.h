// The seam between the explorer and whatever runs one simulated seed. The explorer, shrink and the
// determinism check only ever say "run this seed (or this schedule) of the program and tell me how it
// went"; how that happens is behind SeedRunner: a child of a zygote that booted node once, which puts
// itself back between seeds (zygote_runner.h), or a fresh `loopsim run` process per seed (below).
//
// Contract for every implementation:
//  - The program, its arguments and the run flags are fixed when the runner is made (SeedRunnerOptions);
//    a request says only which seed or schedule, and whether to keep the trace and the decision log.
//  - Run() blocks until the seed is over, whatever happened to it: a crash, a hang or a wall-clock
//    timeout is a result (term_signal, record.stop == "hang", timed_out), never an exception or an exit.
//    Only a failure to run anything at all (cannot start a process) sets infra_error.
//  - The run is isolated: nothing of one seed is visible to the next, and a result depends only on
//    (program, arguments, flags, request).
//  - One runner serves one thread at a time; the explorer makes one runner per job and runs them in
//    parallel, so implementations may keep per-runner state (a zygote, scratch files).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fakeos/schedule.h"
#include "sim/cli.h"

namespace loopsim::sim {

struct SeedRunnerOptions {
  std::string loopsim_binary;             // the executable that runs a seed (`/proc/self/exe`)
  std::string script;                     // as the user gave it; relative to the current directory
  std::vector<std::string> args;          // the program's own arguments
  RunFlags flags;                         // backend, faults, strategy, budgets
  std::vector<std::string> extra_run_args;  // test-only flags appended to `run`
  uint64_t timeout_ms = 30'000;           // wall-clock budget per seed; past it the run is killed
  std::string scratch_dir;                // a private directory for the runner's files (must exist)
};

struct SeedRequest {
  uint64_t seed = 0;
  std::optional<Schedule> schedule;  // when set, replayed instead of drawing from `seed`
  bool keep_trace = false;           // return the JSONL trace in SeedResult::trace
  // false: the record's decision log may be left empty (a runner that can spare the run logging them
  // does); for a caller that reads only how the run ended.
  bool keep_decisions = true;
};

struct SeedResult {
  bool has_record = false;  // false when the run ended without leaving one (crash, timeout)
  RunRecord record;         // the decision log, how it ended (a trace::stop name), trace hash
  std::string out;          // the program's stdout
  std::string err;          // the program's stderr (Node's fatal-error report, loopsim's messages)
  int exit_code = -1;       // set when the process exited
  int term_signal = 0;      // set when it was killed by a signal (other than the watchdog's)
  bool timed_out = false;   // the wall-clock budget ran out and the watchdog killed it
  int64_t wall_ns = 0;      // host time the seed took
  std::string trace;        // when keep_trace
  std::string infra_error;  // non-empty: nothing could be run (the other fields mean nothing)
};

class SeedRunner {
 public:
  virtual ~SeedRunner() = default;
  virtual SeedResult Run(const SeedRequest& request) = 0;
};

// A new private directory for runners' files (RunFiles below), named PREFIX and six random characters:
// under /dev/shm where the machine has a writable one, else under /tmp. A seed's files are made,
// truncated, read and removed at every seed, which on a disk's file system is journal work (a tmpfs
// gave a zygote child 3-7% more seeds a second). "" when neither takes one.
std::string MakeScratchDir(const std::string& prefix);

// A runner's files in its scratch directory, named BASE.out, BASE.err, ... for a base path the runner
// owns: the seed's stdout and stderr, the schedule to replay, and where the run leaves its record and (if
// asked) its trace.
struct RunFiles {
  explicit RunFiles(const std::string& base);
  // Removes every one of them.
  void Remove() const;

  std::string out, err, schedule, record, trace;
};

// What a finished run left in `files`: stdout, stderr, the record (unless the run timed out) and, when
// asked, the trace. A file that is not there leaves its field as it was.
void ReadRunFiles(const RunFiles& files, bool keep_trace, SeedResult* result);

// The command line that runs one request: `argv0 run`, the seed (or the schedule, written to
// files.schedule), the run flags, --record, --trace when asked, then the script and its arguments.
// Internal ("cannot write FILE") when the schedule cannot be written.
absl::StatusOr<std::vector<std::string>> RunArgs(const std::string& argv0, const SeedRunnerOptions& options,
                                                 const SeedRequest& request, const RunFiles& files);

// A runner that starts `loopsim run --seed N --record FILE [flags] SCRIPT ARGS` per seed (or
// `--schedule FILE`), with stdout and stderr captured to files in the scratch directory, and a watchdog
// that kills the child's process group when the wall-clock budget runs out. `index` tells runners of one
// scratch directory apart.
std::unique_ptr<SeedRunner> MakeSubprocessRunner(const SeedRunnerOptions& options, int index);

}  // namespace loopsim::sim
