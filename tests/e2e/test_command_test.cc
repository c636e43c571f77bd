// `loopsim test` on a real project: the fixture project (tests/fixtures/project, its pinned mocha, jest
// and vitest installed by ci/setup) has a test that fails on some seeds, one that always passes, and
// node:test files with a racy test. Each framework's run is reported per test: the racy test by its full
// name with its message, the seeds it failed on and a replay, the steady one not at all; JUnit has one
// test case per test. Mocha, jest and vitest are run from node_modules (the project's root is visible),
// as `npx NAME`; jest with its own worker pool (two test files, so it does not run them in band), vitest
// with each of its pools (worker threads, child processes), all of them simulated. Vitest loads rollup's
// parser, a native addon, hence --allow-addons.
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e.h"
#include "tests/support/files.h"

#ifndef LOOPSIM_FIXTURE_PROJECT
#error "LOOPSIM_FIXTURE_PROJECT must name the installed fixture project"
#endif

namespace loopsim::testing {
namespace {

RunResult LoopsimTest(const std::vector<std::string>& args) {
  RunOptions options = LoopsimCommand(args);
  options.cwd = LOOPSIM_FIXTURE_PROJECT;
  options.wall_limit = std::chrono::milliseconds(240'000);
  return RunProcess(options);
}

struct Expected {
  std::string framework;
  std::vector<std::string> command;
  std::string racy;    // the test that fails on some seeds
  std::string steady;  // one that never fails
  std::string message;
  std::string filter;  // how the replay of one test narrows the run
  int seeds = 16;      // fewer for the pools: each seed starts several node environments
};

class TestCommandTest : public ::testing::TestWithParam<Expected> {};

TEST_P(TestCommandTest, ReportsTheRacyTestPerTestWithSeedsAndReplay) {
  const Expected& e = GetParam();
  const std::string junit = MakeTempDir("loopsim-junit") + "/report.xml";
  const std::string json = junit + ".json";
  std::vector<std::string> args = {"test", "--seeds", std::to_string(e.seeds), "--jobs", "2", "--junit", junit,
                                   "--json", json};
  args.insert(args.end(), e.command.begin(), e.command.end());
  const RunResult r = LoopsimTest(args);
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("1) " + e.racy), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(e.message), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flaky tests (failed seeds / seeds run):"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(") " + e.steady), std::string::npos) << "a test that never fails was reported: " << r.out;

  const nlohmann::json summary = nlohmann::json::parse(Slurp(json), nullptr, false);
  ASSERT_TRUE(summary.contains("tests")) << Slurp(json);
  bool saw_racy = false, saw_steady = false;
  for (const nlohmann::json& t : summary["tests"]) {
    EXPECT_EQ(t["runs"], e.seeds) << t.dump();
    if (t["name"] == e.racy) {
      saw_racy = true;
      EXPECT_GT(t["failed"].get<int>(), 0);
      EXPECT_LT(t["failed"].get<int>(), e.seeds) << "the race should pass on some seeds";
      // The replay command it prints runs that test alone (the framework's filter), and it fails.
      const std::string replay = t["reproduce"];
      EXPECT_NE(replay.find(" replay "), std::string::npos) << replay;
      EXPECT_EQ(replay.find("fails only with the other tests"), std::string::npos) << replay;
      EXPECT_NE(replay.find(e.filter), std::string::npos) << replay;
      EXPECT_EQ(replay.find("--runInBand"), std::string::npos) << "jest's pool was turned off: " << replay;
      RunOptions again;
      again.argv = {"sh", "-c", replay};
      again.cwd = LOOPSIM_FIXTURE_PROJECT;
      again.wall_limit = std::chrono::milliseconds(60'000);
      const RunResult fails = RunProcess(again);
      EXPECT_EQ(fails.exit_code, 1) << replay << "\n" << fails.out << fails.err;
    }
    if (t["name"] == e.steady) {
      saw_steady = true;
      EXPECT_EQ(t["failed"], 0);
    }
  }
  EXPECT_TRUE(saw_racy && saw_steady) << summary["tests"].dump();
  const std::string xml = Slurp(junit);
  EXPECT_NE(xml.find("name=\"" + e.racy + "\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"" + e.steady + "\""), std::string::npos) << xml;
}

INSTANTIATE_TEST_SUITE_P(
    Frameworks, TestCommandTest,
    ::testing::Values(
        Expected{"mocha", {"--", "npx", "mocha"}, "settings file › keeps the newest of two concurrent saves",
                 "settings file › reads back what one save wrote", "Expected values to be strictly equal", "--fgrep"},
        Expected{"jest", {"--", "npx", "jest"}, "settings file › keeps the newest of two concurrent saves",
                 "settings file › reads back what one save wrote", "Expected value to strictly be equal to: 2", " -t ",
                 8},
        Expected{"vitest_threads",
                 {"--allow-addons", "--", "npx", "vitest", "run", "--pool=threads", "test/vitest"},
                 "settings file › keeps the newest of two concurrent saves",
                 "settings file › reads back what one save wrote", "expected 1 to be 2", " -t ", 8},
        Expected{"vitest_forks", {"--allow-addons", "--", "npx", "vitest", "run", "--pool=forks", "test/vitest"},
                 "settings file › keeps the newest of two concurrent saves",
                 "settings file › reads back what one save wrote", "expected 1 to be 2", " -t ", 8},
        Expected{"node_test", {"test/node/counter.test.js"}, "counter › sees reads finish in order",
                 "counter › counts every bump", "Expected values to be strictly deep-equal",
                 "--test-name-pattern"}),
    [](const ::testing::TestParamInfo<Expected>& param) { return param.param.framework; });

// The frameworks run under a plain `loopsim run` too, from node_modules (the project's root is visible).
TEST(TestCommand, EachFrameworkRunsUnderRun) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> runs = {
      {{"node_modules/mocha/bin/mocha.js"}, "passing"},
      {{"node_modules/jest/bin/jest.js", "--runInBand"}, "Tests:"},
      {{"test/node/counter.test.js"}, "tests 2"},
  };
  for (const auto& [command, says] : runs) {
    std::vector<std::string> args = {"run", "--seed", "3"};
    args.insert(args.end(), command.begin(), command.end());
    const RunResult r = LoopsimTest(args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << command[0] << ": " << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(says), std::string::npos) << command[0] << ": " << r.out << r.err;
  }
}

struct Pool {
  std::string name;
  std::vector<std::string> command;  // what follows `loopsim run|explore [--seed N ...]`: options, script, args
  bool processes;                    // whether its workers are processes (else threads)
  std::string summary;               // the framework's line that counts the tests
  std::string failed;                // what that line says when the racy test failed
};

// The threads of node a trace's events ran on ("thread":N; the main thread's carry none), and how many
// simulated processes started.
std::pair<std::set<std::string>, int> WorkersIn(const std::string& trace) {
  std::set<std::string> threads;
  int processes = 0;
  std::istringstream lines(trace);
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("\"thread\":");
    if (at != std::string::npos) threads.insert(line.substr(at + 9, line.find(',', at) - at - 9));
    if (line.find("\"ev\":\"process_start\"") != std::string::npos) ++processes;
  }
  return {threads, processes};
}

class PoolTest : public ::testing::TestWithParam<Pool> {};

// Under `loopsim run` the framework's pool runs the test files in workers of its own, simulated threads
// or processes (each in the trace); a seed where the racy test fails exits 1 with the framework's report
// of it, a seed where it passes 0, and among the first few seeds there are both.
TEST_P(PoolTest, RunsThePoolsWorkersAndExitsAsTheTestsDid) {
  const Pool& p = GetParam();
  const std::string dir = MakeTempDir("loopsim-pool");
  int runs_by_exit[2] = {0, 0};
  for (int seed = 0; seed < 8 && (runs_by_exit[0] == 0 || runs_by_exit[1] == 0); ++seed) {
    const std::string trace = dir + "/trace-" + std::to_string(seed) + ".jsonl";
    std::vector<std::string> args = {"run", "--seed", std::to_string(seed), "--trace", trace};
    args.insert(args.end(), p.command.begin(), p.command.end());
    const RunResult r = LoopsimTest(args);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << "seed " << seed << ": " << r.out << r.err;
    ++runs_by_exit[r.exit_code];
    const std::string out = r.out + r.err;
    EXPECT_NE(out.find(p.summary), std::string::npos) << "seed " << seed << ": " << out;
    EXPECT_EQ(out.find(p.failed) != std::string::npos, r.exit_code == 1) << "seed " << seed << ": " << out;
    const auto [threads, processes] = WorkersIn(Slurp(trace));
    EXPECT_GE(threads.size(), 2u) << "seed " << seed << ": the pool ran no workers of its own";
    if (p.processes) {
      EXPECT_GE(processes, 2) << "seed " << seed << ": the pool started no processes";
    } else {
      EXPECT_EQ(processes, 0) << "seed " << seed << ": a pool of threads started processes";
    }
  }
  EXPECT_GT(runs_by_exit[1], 0) << "the racy test failed on none of seeds 0-7";
  EXPECT_GT(runs_by_exit[0], 0) << "the racy test failed on every seed of 0-7";
  std::filesystem::remove_all(dir);
}

// Two seeds of each pool under explore (each forked from a booted node), the failing ones and a passing
// one run twice: the same trace, output and exit code (explore --check-determinism).
TEST_P(PoolTest, ExploresDeterministically) {
  const Pool& p = GetParam();
  std::vector<std::string> args = {"explore", "--seed-start", "1", "--seeds", "2", "--jobs", "2",
                                   "--check-determinism"};
  args.insert(args.end(), p.command.begin(), p.command.end());
  const RunResult r = LoopsimTest(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
  EXPECT_NE(r.out.find(": 2 seeds of "), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.out.find("nondeterminism"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("unsupported"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Pools, PoolTest,
    ::testing::Values(
        Pool{"jest", {"node_modules/jest/bin/jest.js"}, true, "Tests:", "1 failed, 2 passed"},
        Pool{"vitest_threads", {"--allow-addons", "node_modules/.bin/vitest", "run", "--pool=threads", "test/vitest"},
             false, "Test Files", "1 failed | 2 passed"},
        Pool{"vitest_forks", {"--allow-addons", "node_modules/.bin/vitest", "run", "--pool=forks", "test/vitest"},
             true, "Test Files", "1 failed | 2 passed"}),
    [](const ::testing::TestParamInfo<Pool>& param) { return param.param.name; });

// SIGINT during `loopsim test` stops the seeds, reports the tests of the seeds that finished, writes
// the reports marked incomplete, exits 130 and leaves no process behind.
TEST(TestCommand, AStopSignalReportsTheTestsSoFarAndLeavesNoProcessBehind) {
  const std::string dir = MakeTempDir("loopsim-test-interrupt");
  const std::string script = dir + "/interrupted-counter.test.js";
  ASSERT_TRUE(WriteFile(script, Slurp(std::string(LOOPSIM_FIXTURE_PROJECT) + "/test/node/counter.test.js")));
  const std::string driver = dir + "/interrupt.sh";
  ASSERT_TRUE(WriteFile(driver, "trap - INT\n" + LoopsimBinary(LOOPSIM_BIN) + " test --seeds 100000 --jobs 2 --json " +
                                    dir + "/r.json --junit " + dir + "/r.xml " + script +
                                    " &\npid=$!\nsleep 4\nkill -INT $pid\nwait $pid\necho \"status $?\"\n"
                                    "sleep 0.5\npgrep -f " + script + " || echo 'none left'\n"));
  RunOptions options;
  options.argv = {"sh", driver};
  options.cwd = dir;
  options.wall_limit = std::chrono::milliseconds(60'000);
  const RunResult r = RunProcess(options);
  EXPECT_NE(r.out.find("status 130"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("interrupted by SIGINT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("none left"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tests: 2 ran"), std::string::npos) << r.out;
  const nlohmann::json summary = nlohmann::json::parse(Slurp(dir + "/r.json"), nullptr, false);
  EXPECT_EQ(summary.value("incomplete", false), true) << summary.dump();
  EXPECT_NE(Slurp(dir + "/r.xml").find("errors=\"1\""), std::string::npos) << Slurp(dir + "/r.xml");
  std::filesystem::remove_all(dir);
}

TEST(TestCommand, RefusesACommandItCannotRun) {
  const RunResult r = LoopsimTest({"test", "--", "npx", "no-such-runner"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'no-such-runner' is neither a test file nor in node_modules/.bin"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace loopsim::testing
