// `loopsim test`: a project's tests under explore, reported per test. The command names a test runner
// (mocha, jest or vitest from node_modules/.bin, `npx NAME`, or `node FILE`) or node:test files; each runs as
// the program of an explore sweep with loopsim's reporter for its framework (sim/reporters/), which
// tells each seed's run record what every test did. The report tallies tests over seeds: each failing
// test's full name, message, seeds and a replay command (of that test alone when it fails alone on that
// seed, else of the whole run), and the flaky tests' table.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/cli.h"

namespace loopsim::sim {

enum class Framework { kMocha, kJest, kVitest, kNodeTest };

// One program `test` sweeps: the script, its arguments and node options, and its framework.
struct TestTarget {
  std::string script;
  std::vector<std::string> args;
  std::vector<std::string> node_options;
  Framework framework = Framework::kNodeTest;
};

// The programs a test command runs, with the reporter options of their frameworks added. `cwd` is
// where node_modules/.bin is looked for first (then each folder above it).
absl::StatusOr<std::vector<TestTarget>> ResolveTestCommand(const std::vector<std::string>& words,
                                                           const std::string& cwd);

// Runs `test`; returns its exit code (0: no test failed on any seed, 1: some did, 2: usage or
// infrastructure error, 128+N: stopped by signal N).
int RunTest(ExploreCommand command, const std::string& argv0);

}  // namespace loopsim::sim
