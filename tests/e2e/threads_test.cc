// Worker threads (runtime/uv/threads.h), under every node of the matrix: a seed gives the same output,
// trace and decisions every time, whether it runs in `loopsim run` or in a zygote child; the trace
// numbers a worker's events by thread and records the thread decisions; and threads that all wait for
// each other stop the run as a hang instead of hanging loopsim.
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node_matrix_test.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

// Two workers and the parent trade messages over two ports; the order the parent prints depends on
// the thread decisions.
constexpr char kTwoWorkers[] =
    "const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');\n"
    "if (isMainThread) {\n"
    "  for (const name of ['a', 'b']) {\n"
    "    const w = new Worker(__filename, { workerData: name });\n"
    "    w.on('message', (m) => console.log('from', m));\n"
    "    w.on('exit', (code) => console.log(name, 'exit', code));\n"
    "  }\n"
    "} else {\n"
    "  parentPort.postMessage(workerData + ' started');\n"
    "  setTimeout(() => parentPort.postMessage(workerData + ' after a timer'), 2);\n"
    "  setImmediate(() => parentPort.postMessage(workerData + ' after an immediate'));\n"
    "}\n";

// The worker waits for a notify nobody sends, and the parent for the worker.
constexpr char kDeadlock[] =
    "const { Worker, isMainThread, workerData } = require('worker_threads');\n"
    "if (isMainThread) new Worker(__filename, { workerData: new Int32Array(new SharedArrayBuffer(4)) });\n"
    "else Atomics.wait(workerData, 0, 0);\n";

class Threads : public NodeMatrixTest {
 protected:
  void SetUp() override {
    NodeMatrixTest::SetUp();
    Write("two_workers.js", kTwoWorkers);
    Write("deadlock.js", kDeadlock);
  }
};

TEST_P(Threads, ASeedGivesTheSameOutputTraceAndDecisions) {
  std::string first_out;
  for (const char* name : {"1", "2"}) {
    const RunResult r = Loopsim({"run", "--seed", "5", "--trace", std::string("t") + name + ".jsonl", "--record",
                                 std::string("r") + name + ".json", "two_workers.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (first_out.empty()) first_out = r.out;
    EXPECT_EQ(r.out, first_out);
  }
  const std::string trace = Slurp(dir_ + "/t1.jsonl");
  EXPECT_EQ(trace, Slurp(dir_ + "/t2.jsonl"));
  EXPECT_NE(trace.find(",\"thread\":1,"), std::string::npos);
  EXPECT_NE(trace.find(",\"thread\":2,"), std::string::npos);
  const nlohmann::json record = nlohmann::json::parse(Slurp(dir_ + "/r1.json"), nullptr, false);
  ASSERT_TRUE(record.contains("decisions")) << record;
  EXPECT_EQ(record["decisions"], nlohmann::json::parse(Slurp(dir_ + "/r2.json"))["decisions"]);
  EXPECT_NE(record["decisions"].dump().find("\"thread\""), std::string::npos);
}

TEST_P(Threads, SeedsDifferAndAZygoteChildGivesWhatRunGives) {
  // Explore's children and a fresh run agree seed by seed (explore checks each seed twice).
  const RunResult explore = Loopsim({"explore", "--seeds", "12", "--jobs", "2", "--check-determinism", "--check",
                                     "two_workers.js"});
  EXPECT_EQ(explore.exit_code, 0) << explore.out << explore.err;
  EXPECT_NE(explore.out.find("12 passed"), std::string::npos) << explore.out;
  // The thread decisions reach more than one order.
  std::set<std::string> outputs;
  for (int seed = 0; seed < 8; ++seed) outputs.insert(Loopsim({"run", "--seed", std::to_string(seed), "two_workers.js"}).out);
  EXPECT_GT(outputs.size(), 1u);
}

TEST_P(Threads, ThreadsThatAllWaitStopTheRunAsAHang) {
  const RunResult r = Loopsim({"run", "deadlock.js"});
  EXPECT_EQ(r.exit_code, 124) << r.err;
  EXPECT_NE(r.err.find("hang:"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Nodes, Threads, ::testing::ValuesIn(TestNodes()), NodeName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Threads);

}  // namespace
}  // namespace loopsim::testing
