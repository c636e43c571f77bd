// Event-loop properties over generated Node programs (tests/property/program_gen.h), each run as a real
// `loopsim run` subprocess:
//   - every program under every seed passes `run --check` (the invariant monitor, sim/invariants.h);
//   - the same program and seed twice give the same trace and output;
//   - programs restricted to deterministic constructs print exactly what the reference node prints.
// And the *MutationProperty suite: with one rule of the loop broken on purpose (--test-mutation), the
// matching property must fail; rapidcheck shrinks the program and the test prints the shrunk one.
//
// CI runs few cases with a fixed seed (RC_PARAMS in tests/property/CMakeLists.txt). For a deep local
// search: RC_PARAMS="max_success=2000" build/tests/property/event_loop_property_test
//   --gtest_filter='EventLoopProperty.*:DifferentialProperty.*'
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "sim/invariants.h"
#include "tests/property/program_gen.h"
#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

namespace loopsim::testing {
namespace {

// Scratch files live in one directory per test process, removed at exit (each file is removed after use).
class WorkDirectory {
 public:
  WorkDirectory() : path_(MakeTempDir("loopsim-property")) {}
  ~WorkDirectory() { rmdir(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const std::string& WorkDir() {
  static const WorkDirectory dir;
  return dir.path();
}

// A scratch file name, unique within this test process.
std::string ScratchPath(const std::string& suffix) {
  static std::atomic<int> counter{0};
  return WorkDir() + "/f" + std::to_string(++counter) + suffix;
}

struct ProgramRun {
  RunResult result;
  std::string command;
  std::string trace;  // when asked for
};

// Runs the JavaScript `source` under loopsim with `flags` (before the script); keeps the trace if
// `want_trace`.
ProgramRun RunLoopsim(const std::string& source, uint64_t seed, std::vector<std::string> flags,
                      bool want_trace = false) {
  const std::string script = ScratchPath(".js");
  ProgramRun run;
  if (!WriteFile(script, source)) {
    run.result.spawn_error = "cannot write the program to " + script;
    return run;
  }
  std::vector<std::string> argv = {LoopsimBinary(LOOPSIM_BIN), "run", "--seed", std::to_string(seed)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string trace_path;
  if (want_trace) {
    trace_path = ScratchPath(".jsonl");
    argv.insert(argv.end(), {"--trace", trace_path});
  }
  argv.push_back(script);
  RunOptions options;
  options.argv = argv;
  run.result = RunProcess(options);
  run.command = ShellQuote(argv);
  if (want_trace) {
    ReadFile(trace_path, &run.trace);
    unlink(trace_path.c_str());
  }
  unlink(script.c_str());
  return run;
}

ProgramRun RunLoopsim(const Program& program, uint64_t seed, std::vector<std::string> flags,
                      bool want_trace = false) {
  return RunLoopsim(ToJavaScript(program), seed, std::move(flags), want_trace);
}

rc::Gen<uint64_t> GenSeed() { return rc::gen::inRange<uint64_t>(0, 1'000'000); }

// The invariant and determinism properties run each program on one of the three backends: sockets move
// most between them (kqueue reports a readable-and-writable socket twice, IOCP delivers completions).
rc::Gen<std::vector<std::string>> GenBackend() {
  return rc::gen::map(rc::gen::elementOf(Backends()), [](const std::string& backend) {
    return std::vector<std::string>{"--backend", backend};
  });
}

// The invariant property: `run --check` reports nothing and the program ends normally. Returns the
// monitor's report ("" when the run passed) so mutation tests can look at it.
std::string CheckedRunFailure(const Program& program, uint64_t seed, const std::vector<std::string>& extra) {
  std::vector<std::string> flags = {"--check"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  const ProgramRun run = RunLoopsim(program, seed, flags);
  if (run.result.Exited() && run.result.exit_code == 0) return "";
  return run.command + "\n" + run.result.Describe(RunOptions{}) + "\n" + run.result.err;
}

RC_GTEST_PROP(EventLoopProperty, EveryProgramAndSeedPassesTheInvariantMonitor, ()) {
  const Program program = *GenProgram(Flavour::kAny);
  const uint64_t seed = *GenSeed();
  const std::vector<std::string> backend = *GenBackend();
  const std::string failure = CheckedRunFailure(program, seed, backend);
  RC_ASSERT(failure == "");
}

// The determinism property; `extra` lets the mutation test make the two runs differ.
std::string DeterminismFailure(const Program& program, uint64_t seed, const std::vector<std::string>& first_extra,
                               const std::vector<std::string>& second_extra) {
  const ProgramRun a = RunLoopsim(program, seed, first_extra, true);
  const ProgramRun b = RunLoopsim(program, seed, second_extra, true);
  if (auto v = loopsim::sim::CompareTraces(a.trace, b.trace)) return loopsim::sim::FormatViolation(*v, seed);
  if (a.result.out != b.result.out || a.result.exit_code != b.result.exit_code) {
    return "same trace, different output or exit:\n" + LineDiff(a.result.out, b.result.out);
  }
  if (a.trace.empty()) return "no trace was written: " + a.command + "\n" + a.result.err;
  return "";
}

RC_GTEST_PROP(EventLoopProperty, SameSeedTwiceGivesTheSameTrace, ()) {
  const Program program = *GenProgram(Flavour::kAny);
  const uint64_t seed = *GenSeed();
  const std::vector<std::string> backend = *GenBackend();
  const std::string failure = DeterminismFailure(program, seed, backend, backend);
  RC_ASSERT(failure == "");
}

// The node the programs run under, in loopsim (LOOPSIM_NODE for every loopsim this test starts, unless the
// environment names another) and plainly, as the reference.
std::string ReferenceNode() {
  static const bool chosen = setenv("LOOPSIM_NODE", LOOPSIM_TEST_NODE, 0) == 0;
  (void)chosen;
  return std::getenv("LOOPSIM_NODE");
}
const std::string kNodeChosenAtStart = ReferenceNode();

std::string DifferentialFailure(const Program& program, uint64_t seed, const std::vector<std::string>& extra) {
  std::vector<std::string> flags = {"--check"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  const ProgramRun sim = RunLoopsim(program, seed, flags);
  const std::string script = ScratchPath(".js");
  if (!WriteFile(script, ToJavaScript(program))) return "cannot write the program to " + script;
  RunOptions node;
  node.argv = {ReferenceNode(), script};
  // The generator spaces timers kSlotMs apart, but a loaded machine can still stall real Node that long:
  // loopsim passes if its output is one real Node produces, so a mismatch asks Node up to three times.
  RunResult real;
  for (int attempt = 0; attempt < 3; ++attempt) {
    real = RunProcess(node);
    if (!real.Exited() || real.exit_code != 0) break;
    if (sim.result.out == real.out && sim.result.exit_code == real.exit_code) break;
  }
  unlink(script.c_str());
  if (!real.Exited() || real.exit_code != 0) {
    return "the reference node failed (" + real.Describe(node) + "): " + real.err;
  }
  if (sim.result.out != real.out || sim.result.exit_code != real.exit_code) {
    return sim.command + " differs from the reference node (exit " + std::to_string(real.exit_code) + " there, " +
           std::to_string(sim.result.exit_code) + " here; output - node, + loopsim):\n" +
           LineDiff(real.out, sim.result.out) + sim.result.err;
  }
  return "";
}

TEST(DifferentialProperty, ReferenceNodeIsPresent) {
  // Never skipped: without the reference the differential property would prove nothing.
  ASSERT_EQ(access(ReferenceNode().c_str(), X_OK), 0)
      << "the reference node is missing at " << ReferenceNode()
      << " (ci/setup provides it); the differential property cannot run without it";
}

RC_GTEST_PROP(DifferentialProperty, DeterministicProgramsPrintWhatTheNodePrints, ()) {
  RC_ASSERT(access(ReferenceNode().c_str(), X_OK) == 0);
  const Program program = *GenProgram(Flavour::kDeterministic);
  const uint64_t seed = *GenSeed();
  const std::string failure = DifferentialFailure(program, seed, {});
  RC_ASSERT(failure == "");
}

// Runs `property` under rapidcheck expecting it to fail, and returns the report of the shrunk
// counterexample (the last failing run: rapidcheck accepts a shrink only when it still fails).
template <typename Property>
std::string ExpectCaught(const std::string& description, Property property) {
  std::string last_failure;
  const bool passed = rc::check(description, [&] {
    const std::string failure = property();
    if (!failure.empty()) last_failure = failure;
    RC_ASSERT(failure == "");
  });
  EXPECT_FALSE(passed) << description << ": the broken rule went unnoticed";
  std::cout << "shrunk counterexample's report:\n" << last_failure << std::endl;
  return last_failure;
}

std::string CaughtByMonitor(const std::string& mutation) {
  return ExpectCaught("the monitor catches --test-mutation " + mutation, [mutation] {
    const Program program = *GenProgram(Flavour::kAny);
    const uint64_t seed = *GenSeed();
    return CheckedRunFailure(program, seed, {"--test-mutation", mutation});
  });
}

TEST(EventLoopMutationProperty, CheckBeforePollBreaksPhaseOrder) {
  EXPECT_NE(CaughtByMonitor("check-before-poll").find("invariant violated: phase-order"), std::string::npos);
}

TEST(EventLoopMutationProperty, ReverseEqualTimersBreaksStartOrder) {
  EXPECT_NE(CaughtByMonitor("reverse-equal-timers").find("invariant violated: timer-start-order"),
            std::string::npos);
}

TEST(EventLoopMutationProperty, CloseCallbackInCheckBreaksClosePhase) {
  EXPECT_NE(CaughtByMonitor("close-cb-in-check").find("invariant violated: close-phase"), std::string::npos);
}

TEST(EventLoopMutationProperty, StaleLoopTimeBreaksLoopTime) {
  EXPECT_NE(CaughtByMonitor("stale-loop-time").find("invariant violated: loop-time"), std::string::npos);
}

TEST(EventLoopMutationProperty, DeferredTicksBreakTheDrain) {
  EXPECT_NE(CaughtByMonitor("defer-ticks").find("invariant violated: tick-drain"), std::string::npos);
}

TEST(EventLoopMutationProperty, DeferredTicksAreCaughtAtTheNextSocketRead) {
  // The drain rule counts a stream read as a callback start: a reply larger than the receive buffer is
  // read in several pieces in one poll phase, so a tick queued by one 'data' event and deferred (to an
  // immediate, by defer-ticks) is still waiting when the next read starts, before any other callback.
  const std::string source =
      "'use strict';\n"
      "const net = require('net');\n"
      "const server = net.createServer((c) => { server.close(); c.end(Buffer.alloc(600 * 1024)); });\n"
      "server.listen(0, '127.0.0.1', () => {\n"
      "  const k = net.connect(server.address().port, '127.0.0.1');\n"
      "  k.on('data', () => process.nextTick(() => {}));\n"
      "});\n";
  const ProgramRun clean = RunLoopsim(source, 1, {"--check"});
  EXPECT_EQ(clean.result.exit_code, 0) << clean.command << "\n" << clean.result.err;
  // Every tick is deferred, Node's own too, so the monitor's first report is elsewhere: look at them all.
  const ProgramRun broken = RunLoopsim(source, 1, {"--check", "--test-mutation", "defer-ticks"}, true);
  EXPECT_EQ(broken.result.exit_code, 65) << broken.command;  // sim/check.h kInvariantViolationExit
  loopsim::sim::CheckOptions all;
  all.max_per_invariant = 1000;
  const loopsim::sim::CheckResult result = loopsim::sim::CheckTrace(broken.trace, all);
  bool at_read = false;
  for (const loopsim::sim::Violation& v : result.violations) {
    // The second line is the callback that started with the tick still queued.
    if (v.invariant == "tick-drain" && v.lines.size() == 2 &&
        v.lines[1].second.find("\"ev\":\"read\"") != std::string::npos) {
      at_read = true;
    }
  }
  EXPECT_TRUE(at_read) << "no tick-drain violation at a socket read: " << broken.command;
}

TEST(EventLoopMutationProperty, SwappedMessagesBreakMessageOrder) {
  // A port that delivers its first two messages the other way round: the generated ports send up to three.
  EXPECT_NE(CaughtByMonitor("swap-messages").find("invariant violated: message-order"), std::string::npos);
}

TEST(EventLoopMutationProperty, LostShutdownCallbackBreaksRequestOnce) {
  // The shutdown completes but its callback never runs: the socket never finishes, so it never closes,
  // and the loop runs out of work with the request in flight (the generated servers stop listening at
  // their connection, so nothing else keeps the loop alive).
  EXPECT_NE(CaughtByMonitor("drop-shutdown-cb").find("invariant violated: request-once"), std::string::npos);
}

TEST(EventLoopMutationProperty, NondeterministicRunsBreakDeterminism) {
  // The explorer's canary: the seed mixes in how many runs a counter file has seen, so two "same seed"
  // runs differ.
  const std::string report = ExpectCaught("the determinism property catches a nondeterministic loopsim", [] {
    const Program program = *GenProgram(Flavour::kAny);
    const uint64_t seed = *GenSeed();
    const std::string counter = ScratchPath(".count");
    const std::string failure = DeterminismFailure(program, seed, {"--test-nondeterministic", counter},
                                                   {"--test-nondeterministic", counter});
    unlink(counter.c_str());
    return failure;
  });
  EXPECT_NE(report.find("invariant violated: determinism"), std::string::npos);
}

TEST(DifferentialMutationProperty, DeferredTicksPrintOtherThanTheNode) {
  ASSERT_EQ(access(ReferenceNode().c_str(), X_OK), 0) << "the reference node is missing at " << ReferenceNode();
  const std::string report = ExpectCaught("the differential property catches deferred ticks", [] {
    const Program program = *GenProgram(Flavour::kDeterministic);
    const uint64_t seed = *GenSeed();
    return DifferentialFailure(program, seed, {"--test-mutation", "defer-ticks"});
  });
  EXPECT_NE(report.find("differs from the reference node"), std::string::npos);
}

}  // namespace
}  // namespace loopsim::testing
