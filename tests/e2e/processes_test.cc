// Node programs as simulated child processes (runtime/uv/process.h), under every node of the matrix: a
// seed of a program of three processes gives the same output, trace and decisions every time, in
// `loopsim run` and in explore's zygote children; seeds reach more than one interleaving; `--check`
// holds a child's exit to after its end (and catches a loopsim that breaks that); node's test
// runner (`--test`, a child process per file) runs; and a parent waiting on a child that waits for it
// stops as a hang instead of hanging loopsim.
#include <string>

#include <gtest/gtest.h>

#include "node_matrix_test.h"
#include "tests/support/files.h"
#include "tests/support/run_checks.h"

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
  void SetUpInDir() override {
    Write("three.js", kThreeProcesses);
    Write("wait.js", kWaitForEachOther);
    Write("a.test.js", kTestFileA);
    Write("b.test.js", kTestFileB);
  }
};

TEST_P(Processes, ASeedGivesTheSameOutputTraceAndDecisions) {
  SeedRun run;
  ASSERT_NO_FATAL_FAILURE(RunOneSeedTwice("three.js", &run));
  EXPECT_NE(run.out.find("a got hello a"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("b exit 0"), std::string::npos) << run.out;
  EXPECT_NE(run.trace.find("\"kind\":\"process\""), std::string::npos);
  EXPECT_NE(run.trace.find(",\"thread\":2,"), std::string::npos);
}

TEST_P(Processes, SeedsDifferAndAZygoteChildGivesWhatRunGives) {
  ExpectSeedsDifferAndAZygoteChildGivesWhatRunGives("three.js");
}

TEST_P(Processes, TheCheckHoldsAChildsExitToAfterItsEnd) {
  EXPECT_TRUE(Shows(Loopsim({"run", "--seed", "3", "--check", "three.js"}), {}));
  // Broken on purpose: the parent hears of a child's exit as soon as the child emits 'exit'.
  const RunResult broken = Loopsim({"run", "--seed", "3", "--check", "--test-mutation", "exit-before-end", "three.js"});
  // 65: sim/check.h kInvariantViolationExit.
  EXPECT_TRUE(Shows(broken, {.exit_code = 65, .err_has = {"invariant violated: process-exit"}}));
}

TEST_P(Processes, NodesTestRunnerRunsEachFileAsAChild) {
  // The summary is TAP ("# pass 1") or, from node 23, spec ("ℹ pass 1").
  EXPECT_TRUE(Shows(Loopsim({"run", "--node-option=--test", "a.test.js", "b.test.js"}),
                    {.exit_code = 1, .out_has = {"a passes", "b fails", " pass 1\n", " fail 1\n"}}));
}

TEST_P(Processes, AParentAndAChildThatWaitForEachOtherStopAsAHang) {
  EXPECT_TRUE(Shows(Loopsim({"run", "wait.js"}), {.exit_code = 124, .err_has = {"hang:"}}));
}

LOOPSIM_TEST_ON_EVERY_NODE(Processes);

}  // namespace
}  // namespace loopsim::testing
