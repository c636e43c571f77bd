// `loopsim explore`: runs a program under many seeds (or, exhaustively, many schedules), each in its own
// run, triages every failure, and reports each distinct one with its first seed, its count and the
// command that replays it. Also the shared plumbing of the commands that run seeds (explore, shrink):
// the scratch directory, the runner pool, the reproduce command.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/cli.h"
#include "sim/report.h"
#include "sim/runner_pool.h"

namespace loopsim::sim {

// What a SeedSession runs: the program, the flags of each seed's run, and how many runners.
struct SeedSessionOptions {
  std::string argv0;  // how the user called loopsim (for printed commands)
  std::string script;
  std::vector<std::string> args;
  RunFlags flags;
  std::vector<std::string> extra_run_args;  // test-only flags appended to every seed's `run`
  uint64_t timeout_ms = 30'000;             // wall-clock budget per seed
  uint32_t jobs = 0;                        // runners in parallel; 0: one per core
};

// The session options of a command that runs seeds (explore, test, shrink).
template <typename Command>
SeedSessionOptions SessionOptionsOf(const Command& cmd, const std::string& argv0) {
  return {argv0, cmd.script, cmd.args, cmd.flags, cmd.test_run_args, cmd.timeout_ms, cmd.jobs};
}

// What every seed-running command needs: the runners and how to name a replay.
class SeedSession {
 public:
  // NotFound when the script cannot be found, Internal when no scratch directory can be made.
  static absl::StatusOr<std::unique_ptr<SeedSession>> Open(const SeedSessionOptions& options);
  ~SeedSession();

  RunnerPool& pool() { return *pool_; }
  const SeedRunnerOptions& options() const { return options_; }
  // `loopsim replay [flags] --seed N SCRIPT ARGS` / `... --schedule FILE ...`, shell-quoted.
  std::string ReplaySeed(uint64_t seed) const;
  std::string ReplaySchedule(const std::string& path) const;

 private:
  SeedSession() = default;
  std::string Replay(const std::vector<std::string>& selector) const;

  std::string argv0_;
  SeedRunnerOptions options_;
  std::unique_ptr<RunnerPool> pool_;
};

// Runs the seeds of `explore` (every backend asked for) and returns their summary; an error to print on
// a usage or infrastructure error. An interrupted sweep is a summary too (Summary::interrupted).
absl::StatusOr<Summary> Explore(ExploreCommand command, const std::string& argv0);

// Runs `explore`; returns its exit code (0 no failure, 1 failures, 2 usage or infrastructure error).
int RunExplore(const ExploreCommand& command, const std::string& argv0);

// Runs `merge`; returns its exit code.
int RunMerge(const MergeCommand& command);

}  // namespace loopsim::sim
