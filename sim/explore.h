// `loopsim explore`: runs a program under many seeds (or, exhaustively, many schedules), each in its own
// run, triages every failure, and reports each distinct one with its first seed, its count and the
// command that replays it. Also the shared plumbing of the commands that run seeds (explore, shrink):
// the scratch directory, the runner pool, the reproduce command.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/cli.h"
#include "sim/report.h"
#include "sim/runner_pool.h"

namespace loopsim::sim {

// What every seed-running command needs: the runners and how to name a replay.
class SeedSession {
 public:
  // argv0: how the user called loopsim (for printed commands). Fails (false, *error) when the script
  // cannot be found or no scratch directory can be made.
  static std::unique_ptr<SeedSession> Open(const std::string& argv0, const std::string& script,
                                           const std::vector<std::string>& args, const RunFlags& flags,
                                           const std::vector<std::string>& extra_run_args, uint64_t timeout_ms,
                                           uint32_t jobs, std::string* error);
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

// Runs the seeds of `explore` (every backend asked for) and fills *summary; false (after printing why)
// on a usage or infrastructure error. An interrupted sweep is a summary too (summary->interrupted).
bool Explore(ExploreCommand command, const std::string& argv0, Summary* summary);

// Writes a whole file (a report); false, with *error, when it cannot.
bool WriteFile(const std::string& path, const std::string& text, std::string* error);

// Runs `explore`; returns its exit code (0 no failure, 1 failures, 2 usage or infrastructure error).
int RunExplore(const ExploreCommand& command, const std::string& argv0);

// Runs `merge`; returns its exit code.
int RunMerge(const MergeCommand& command);

}  // namespace loopsim::sim
