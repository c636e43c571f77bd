// Determinism (DESIGN.md invariant 8): the same script and seed give identical stdout, exit code and trace
// bytes; and seeds do reach the different outcomes real Node can produce.
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "e2e.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

struct Outcome {
  std::string out;
  int exit_code = -1;
  std::string trace;
};

// Runs `loopsim run --seed SEED --trace TRACE SCRIPT`; fails the test if loopsim did not exit normally or
// left no trace.
Outcome RunTraced(const std::string& script, int seed, const std::string& trace_path) {
  std::filesystem::remove(trace_path);
  RunOptions options = LoopsimCommand({"run", "--seed", std::to_string(seed), "--trace", trace_path, script});
  const RunResult result = RunProcess(options);
  Outcome outcome;
  EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\nstderr:\n" << result.err;
  outcome.out = result.out;
  outcome.exit_code = result.exit_code;
  EXPECT_TRUE(ReadFile(trace_path, &outcome.trace)) << "no trace written: " << ShellQuote(options.argv);
  return outcome;
}

// Every line of a JSON Lines trace is one JSON object.
void ExpectJsonLines(const std::string& trace) {
  ASSERT_FALSE(trace.empty());
  ASSERT_EQ(trace.back(), '\n') << "the last trace line is not terminated";
  size_t begin = 0, line = 1;
  while (begin < trace.size()) {
    const size_t end = trace.find('\n', begin);
    const std::string text = trace.substr(begin, end - begin);
    ASSERT_TRUE(text.size() >= 2 && text.front() == '{' && text.back() == '}')
        << "trace line " << line << " is not a JSON object: " << text;
    begin = end + 1;
    ++line;
  }
}

using Determinism = TempDirTest<>;

TEST_F(Determinism, HundredRunsOfOneSeedGiveIdenticalStdoutExitCodeAndTraceBytes) {
  const std::string script = E2eProgram("mixed_async.js");
  const std::string trace = dir_ + "/trace.jsonl";
  const Outcome first = RunTraced(script, 3, trace);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ASSERT_NE(first.out.find("exit 0"), std::string::npos) << first.out;
  ExpectJsonLines(first.trace);
  for (int run = 1; run < 100; ++run) {
    const Outcome again = RunTraced(script, 3, trace);
    ASSERT_EQ(again.exit_code, first.exit_code) << "run " << run;
    ASSERT_EQ(again.out, first.out) << "run " << run << "\n" << LineDiff(first.out, again.out);
    ASSERT_TRUE(again.trace == first.trace) << "run " << run << ": trace bytes differ\n"
                                            << LineDiff(first.trace, again.trace);
  }
}

TEST_F(Determinism, TopLevelTimeoutVsImmediateReachesBothOrdersAcrossSeeds0To99) {
  const std::string script = E2eProgram("timeout_vs_immediate.js");
  const std::string timeout_first = "timeout\nimmediate\n";
  const std::string immediate_first = "immediate\ntimeout\n";
  int timeout_first_seeds = 0, immediate_first_seeds = 0;
  for (int seed = 0; seed < 100; ++seed) {
    RunOptions options = LoopsimCommand({"run", "--seed", std::to_string(seed), script});
    const RunResult result = RunProcess(options);
    ASSERT_TRUE(result.Exited()) << result.Describe(options) << "\nstderr:\n" << result.err;
    ASSERT_EQ(result.exit_code, 0) << "seed " << seed << "\n" << result.err;
    if (result.out == timeout_first) {
      ++timeout_first_seeds;
    } else if (result.out == immediate_first) {
      ++immediate_first_seeds;
    } else {
      FAIL() << "seed " << seed << " printed an order real Node cannot:\n" << result.out;
    }
  }
  EXPECT_GT(timeout_first_seeds, 0) << "no seed in 0..99 ran the timeout first";
  EXPECT_GT(immediate_first_seeds, 0) << "no seed in 0..99 ran the immediate first";
}

TEST_F(Determinism, DifferentSeedsGiveDifferentTracesForARacyProgram) {
  // Distinct traces must come from distinct schedules, not only from the seed written into the trace:
  // two seeds with different stdout certainly ran differently, so look for different stdout first.
  const std::string script = E2eProgram("timeout_vs_immediate.js");
  std::set<std::string> traces, outputs;
  for (int seed = 0; seed < 100 && outputs.size() < 2; ++seed) {
    const Outcome outcome = RunTraced(script, seed, dir_ + "/trace.jsonl");
    ASSERT_EQ(outcome.exit_code, 0) << "seed " << seed;
    traces.insert(outcome.trace);
    outputs.insert(outcome.out);
  }
  EXPECT_GE(outputs.size(), 2u) << "seeds 0..99 all printed the same order";
  EXPECT_GE(traces.size(), 2u) << "seeds 0..99 all gave the same trace";
}

}  // namespace
}  // namespace loopsim::testing
