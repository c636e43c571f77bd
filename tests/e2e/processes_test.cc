// Node programs as simulated child processes (runtime/uv/process.h), under every node of the matrix: a
// seed of a program of three processes gives the same output, trace and decisions every time, in
// `loopsim run` and in explore's zygote children; seeds reach more than one interleaving; `--check`
// holds a child's exit to after its end (and catches a loopsim that breaks that); node's test
// runner (`--test`, a child process per file) runs; and a parent waiting on a child that waits for it
// stops as a hang instead of hanging loopsim.
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_matrix_test.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

// The parent forks two children, which answer its message and print; the order of the lines depends
// on the thread decisions.
constexpr char kThreeProcesses[] =
    "const { fork } = require('child_process');\n"
    "if (process.argv[2]) {\n"
    "  process.on('message', (m) => { console.log(process.argv[2], 'got', m); process.disconnect(); });\n"
    "} else {\n"
    "  for (const name of ['a', 'b']) {\n"
    "    const child = fork(__filename, [name]);\n"
    "    child.send('hello ' + name);\n"
    "    child.on('exit', (code) => console.log(name, 'exit', code));\n"
    "  }\n"
    "}\n";

// The child waits for a message the parent never sends; the parent waits for the child.
constexpr char kWaitForEachOther[] =
    "const { fork } = require('child_process');\n"
    "if (process.argv[2]) process.on('message', () => process.exit(0));\n"
    "else fork(__filename, ['child']);\n";

constexpr char kTestFileA[] =
    "const test = require('node:test');\n"
    "test('a passes', () => {});\n";
constexpr char kTestFileB[] =
    "const test = require('node:test');\n"
    "const assert = require('assert');\n"
    "test('b fails', () => { assert.strictEqual(1, 2); });\n";

class Processes : public NodeMatrixTest {
 protected:
  void SetUp() override {
    NodeMatrixTest::SetUp();
    Write("three.js", kThreeProcesses);
    Write("wait.js", kWaitForEachOther);
    Write("a.test.js", kTestFileA);
    Write("b.test.js", kTestFileB);
  }
};

TEST_P(Processes, ASeedGivesTheSameOutputTraceAndDecisions) {
  std::string first_out;
  for (const char* name : {"1", "2"}) {
    const RunResult r = Loopsim({"run", "--seed", "5", "--trace", std::string("t") + name + ".jsonl", "--record",
                                 std::string("r") + name + ".json", "three.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (first_out.empty()) first_out = r.out;
    EXPECT_EQ(r.out, first_out);
  }
  EXPECT_NE(first_out.find("a got hello a"), std::string::npos) << first_out;
  EXPECT_NE(first_out.find("b exit 0"), std::string::npos) << first_out;
  const std::string trace = Slurp(dir_ + "/t1.jsonl");
  EXPECT_EQ(trace, Slurp(dir_ + "/t2.jsonl"));
  EXPECT_NE(trace.find("\"kind\":\"process\""), std::string::npos);
  EXPECT_NE(trace.find(",\"thread\":2,"), std::string::npos);
  const nlohmann::json record = nlohmann::json::parse(Slurp(dir_ + "/r1.json"), nullptr, false);
  ASSERT_TRUE(record.contains("decisions")) << record;
  EXPECT_EQ(record["decisions"], nlohmann::json::parse(Slurp(dir_ + "/r2.json"))["decisions"]);
}

TEST_P(Processes, SeedsDifferAndAZygoteChildGivesWhatRunGives) {
  const RunResult explore = Loopsim({"explore", "--seeds", "12", "--jobs", "2", "--check-determinism", "--check",
                                     "three.js"});
  EXPECT_EQ(explore.exit_code, 0) << explore.out << explore.err;
  EXPECT_NE(explore.out.find("12 passed"), std::string::npos) << explore.out;
  std::set<std::string> outputs;
  for (int seed = 0; seed < 8; ++seed) outputs.insert(Loopsim({"run", "--seed", std::to_string(seed), "three.js"}).out);
  EXPECT_GT(outputs.size(), 1u);
}

TEST_P(Processes, TheCheckHoldsAChildsExitToAfterItsEnd) {
  const RunResult clean = Loopsim({"run", "--seed", "3", "--check", "three.js"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  // Broken on purpose: the parent hears of a child's exit as soon as the child emits 'exit'.
  const RunResult broken = Loopsim({"run", "--seed", "3", "--check", "--test-mutation", "exit-before-end", "three.js"});
  EXPECT_EQ(broken.exit_code, 65) << broken.err;  // sim/check.h kInvariantViolationExit
  EXPECT_NE(broken.err.find("invariant violated: process-exit"), std::string::npos) << broken.err;
}

TEST_P(Processes, NodesTestRunnerRunsEachFileAsAChild) {
  const RunResult r = Loopsim({"run", "--node-option=--test", "a.test.js", "b.test.js"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("a passes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b fails"), std::string::npos) << r.out;
  // TAP ("# pass 1") or, from node 23, spec ("ℹ pass 1").
  EXPECT_NE(r.out.find(" pass 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" fail 1\n"), std::string::npos) << r.out;
}

TEST_P(Processes, AParentAndAChildThatWaitForEachOtherStopAsAHang) {
  const RunResult r = Loopsim({"run", "wait.js"});
  EXPECT_EQ(r.exit_code, 124) << r.err;
  EXPECT_NE(r.err.find("hang:"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Nodes, Processes, ::testing::ValuesIn(TestNodes()), NodeName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Processes);

}  // namespace
}  // namespace loopsim::testing
