// Worker threads (runtime/uv/threads.h), under every node of the matrix: a seed gives the same output,
// trace and decisions every time, whether it runs in `loopsim run` or in a zygote child; the trace
// numbers a worker's events by thread and records the thread decisions; threads that all wait for each
// other stop the run as a hang instead of hanging loopsim; and `--check` holds every kind of port to
// delivering its messages in the order they were sent.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "node_matrix_test.h"
#include "sim/invariants.h"
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

// Messages over every kind of port: a worker's and its parentPort, a MessageChannel whose port2 goes to
// the worker, and a BroadcastChannel; each sends at least two values. The worker posts to its parent,
// and the parent to its worker, only once the receiving port is in place, so each send wakes it.
constexpr char kPorts[] =
    "'use strict';\n"
    "const { Worker, isMainThread, parentPort, MessageChannel, BroadcastChannel } = require('worker_threads');\n"
    "const bc = new BroadcastChannel('ports');\n"
    "if (isMainThread) {\n"
    "  const w = new Worker(__filename);\n"
    "  const { port1, port2 } = new MessageChannel();\n"
    "  w.once('online', () => w.postMessage({ port: port2 }, [port2]));\n"
    "  w.on('message', (m) => {\n"
    "    console.log('parent got', m);\n"
    "    if (m === 'ready') for (const n of [1, 2, 3]) { w.postMessage(n); port1.postMessage('p' + n); }\n"
    "    if (m === 'done') { port1.close(); bc.close(); }\n"
    "  });\n"
    "  bc.onmessage = (e) => console.log('parent bc', e.data);\n"
    "} else {\n"
    "  let n = 0;\n"
    "  const got = (m) => {\n"
    "    console.log('worker got', m);\n"
    "    if (++n < 6) return;\n"
    "    for (const k of ['b1', 'b2']) bc.postMessage(k);\n"
    "    parentPort.postMessage('done');\n"
    "    bc.close();\n"
    "    parentPort.close();\n"
    "  };\n"
    "  parentPort.on('message', (m) => {\n"
    "    if (typeof m !== 'object') return got(m);\n"
    "    m.port.on('message', (x) => { got(x); if (x === 'p3') m.port.close(); });\n"
    "    for (const k of ['ready', 'r2']) parentPort.postMessage(k);\n"
    "  });\n"
    "}\n";

class Threads : public NodeMatrixTest {
 protected:
  void SetUpInDir() override {
    Write("two_workers.js", kTwoWorkers);
    Write("deadlock.js", kDeadlock);
    Write("ports.js", kPorts);
  }
};

TEST_P(Threads, ASeedGivesTheSameOutputTraceAndDecisions) {
  SeedRun run;
  ASSERT_NO_FATAL_FAILURE(RunOneSeedTwice("two_workers.js", &run));
  EXPECT_NE(run.trace.find(",\"thread\":1,"), std::string::npos);
  EXPECT_NE(run.trace.find(",\"thread\":2,"), std::string::npos);
  EXPECT_NE(run.record["decisions"].dump().find("\"thread\""), std::string::npos);
}

TEST_P(Threads, SeedsDifferAndAZygoteChildGivesWhatRunGives) {
  // The thread decisions reach more than one order.
  ExpectSeedsDifferAndAZygoteChildGivesWhatRunGives("two_workers.js");
}

TEST_P(Threads, ThreadsThatAllWaitStopTheRunAsAHang) {
  const RunResult r = Loopsim({"run", "deadlock.js"});
  EXPECT_EQ(r.exit_code, 124) << r.err;
  EXPECT_NE(r.err.find("hang:"), std::string::npos) << r.err;
}

TEST_P(Threads, TheCheckHoldsEveryPortToTheOrderItsMessagesWereSent) {
  const RunResult clean = Loopsim({"run", "--seed", "3", "--check", "ports.js"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_NE(clean.out.find("worker got p3"), std::string::npos) << clean.out;
  // Broken on purpose: every port delivers its first two messages the other way round.
  const RunResult broken =
      Loopsim({"run", "--seed", "3", "--check", "--test-mutation", "swap-messages", "--trace", "t.jsonl", "ports.js"});
  EXPECT_EQ(broken.exit_code, 65) << broken.err;  // sim/check.h kInvariantViolationExit
  EXPECT_NE(broken.err.find("invariant violated: message-order"), std::string::npos) << broken.err;
  // Each of the four ports is caught: the worker's, its parentPort, the MessageChannel's port2 in the
  // worker and the parent's BroadcastChannel.
  sim::CheckOptions all;
  all.max_per_invariant = 100;
  std::set<uint64_t> ports;
  for (const sim::Violation& v : sim::CheckTrace(Slurp(dir_ + "/t.jsonl"), all).violations) {
    constexpr std::string_view kHandle = "async handle ";
    const size_t at = v.message.find(kHandle);
    if (v.invariant == "message-order" && at != std::string::npos) {
      ports.insert(std::stoull(v.message.substr(at + kHandle.size())));
    }
  }
  EXPECT_EQ(ports.size(), 4u);
}

LOOPSIM_TEST_ON_EVERY_NODE(Threads);

}  // namespace
}  // namespace loopsim::testing
