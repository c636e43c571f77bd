// A fixture for end-to-end tests run under every node of the test matrix (tests/conformance/matrix.h),
// each in a temporary directory of its own: the test writes its programs there (SetUp of the derived
// fixture), and Loopsim({COMMAND, ARGS...}) runs `loopsim COMMAND --node NODE ARGS...` in it.
#ifndef LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_
#define LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "e2e.h"
#include "matrix.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {

class NodeMatrixTest : public TempDirTest<::testing::TestWithParam<TestNode>> {
 protected:
  void Write(const std::string& name, const std::string& text) { ASSERT_TRUE(WriteFile(dir_ + "/" + name, text)); }
  RunResult Loopsim(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--node", GetParam().path});
    RunOptions options = LoopsimCommand(args);
    options.cwd = dir_;
    options.wall_limit = std::chrono::milliseconds(120000);
    RunResult result = RunProcess(options);
    EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\n" << result.err;
    return result;
  }

  // What a run of one seed left: its stdout, its trace and its run record.
  struct SeedRun {
    std::string out;
    std::string trace;
    nlohmann::json record;
  };
  // Runs `script` twice under one seed (`run --seed 5`, a trace and a record each), and holds the runs to
  // exiting 0 with the same stdout, the same trace bytes and the same decisions. *first is the first run's.
  void RunOneSeedTwice(const std::string& script, SeedRun* first) {
    for (const char* name : {"1", "2"}) {
      const RunResult r = Loopsim({"run", "--seed", "5", "--trace", std::string("t") + name + ".jsonl", "--record",
                                   std::string("r") + name + ".json", script});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      if (first->out.empty()) first->out = r.out;
      EXPECT_EQ(r.out, first->out);
    }
    first->trace = Slurp(dir_ + "/t1.jsonl");
    EXPECT_EQ(first->trace, Slurp(dir_ + "/t2.jsonl"));
    first->record = nlohmann::json::parse(Slurp(dir_ + "/r1.json"), nullptr, false);
    ASSERT_TRUE(first->record.contains("decisions")) << first->record;
    EXPECT_EQ(first->record["decisions"], nlohmann::json::parse(Slurp(dir_ + "/r2.json"))["decisions"]);
  }
  // Holds `script` to two things: explore's zygote children give what a fresh run gives, seed by seed
  // (`--check-determinism` runs each of 12 seeds twice, under --check), and seeds 0..7 do not all print the
  // same.
  void ExpectSeedsDifferAndAZygoteChildGivesWhatRunGives(const std::string& script) {
    const RunResult explore =
        Loopsim({"explore", "--seeds", "12", "--jobs", "2", "--check-determinism", "--check", script});
    EXPECT_EQ(explore.exit_code, 0) << explore.out << explore.err;
    EXPECT_NE(explore.out.find("12 passed"), std::string::npos) << explore.out;
    std::set<std::string> outputs;
    for (int seed = 0; seed < 8; ++seed) outputs.insert(Loopsim({"run", "--seed", std::to_string(seed), script}).out);
    EXPECT_GT(outputs.size(), 1u);
  }
};

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_
