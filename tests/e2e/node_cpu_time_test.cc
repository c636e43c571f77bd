// The CPU-time model on real Node: a loop callback is charged a seed-chosen running time (a `cpu-cost`
// decision) only when JavaScript may have run in it, as V8's before-call-entered hook reports; Node's own
// handles that run none (the immediate check handle with nothing queued, its idle handle, the profiler
// idle notifier's prepare and check) cost a microsecond and decide nothing, on every seed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "e2e.h"

namespace loopsim::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CpuTime : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/loopsim-cpu-time-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  struct Counts {
    int script = 0, cpu = 0, callbacks = 0;
  };
  // Runs `program` under `seed`; counts its decisions by site and the callbacks in its trace.
  Counts Run(const std::string& program, int seed, const std::string& expected_out) {
    const std::string record = dir_ + "/record.json", trace = dir_ + "/trace.jsonl";
    const RunResult r = RunProcess(LoopsimCommand(
        {"run", "--seed", std::to_string(seed), "--record", record, "--trace", trace, E2eProgram(program)}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected_out);
    Counts c;
    const nlohmann::json run_record = nlohmann::json::parse(Slurp(record));
    for (const auto& d : run_record["decisions"]) {
      c.script += d[0] == "script-cost";
      c.cpu += d[0] == "cpu-cost";
    }
    std::istringstream lines(Slurp(trace));
    for (std::string line; std::getline(lines, line);) c.callbacks += line.find("\"ev\":\"cb\"") != std::string::npos;
    return c;
  }

  std::string dir_;
};

TEST_F(CpuTime, OnlyTheCallbackThatRunsJavaScriptTakesACpuCostDecision) {
  for (int seed = 0; seed < 6; ++seed) {
    const Counts c = Run("idle_timer.js", seed, "fired\n");
    EXPECT_EQ(c.script, 1) << "seed " << seed;
    EXPECT_EQ(c.cpu, 1) << "seed " << seed << ": only the timer's callback runs JavaScript";
    EXPECT_GT(c.callbacks, 4) << "seed " << seed << ": Node's own handles ran too";
  }
}

TEST_F(CpuTime, TheImmediateCheckHandleIsChargedWhenItRunsImmediates) {
  for (int seed = 0; seed < 6; ++seed) {
    const Counts c = Run("two_immediates.js", seed, "second\n");
    EXPECT_EQ(c.cpu, 2) << "seed " << seed << ": one charge per check phase that ran an immediate";
    EXPECT_GT(c.callbacks, c.cpu) << "seed " << seed;
  }
}

}  // namespace
}  // namespace loopsim::testing
