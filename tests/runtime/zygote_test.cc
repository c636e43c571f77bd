// The zygote (runtime/node/zygote.h) through the explorer's zygote runner, against the loopsim binary: a
// child forked from a booted Node must give exactly what `loopsim run` gives for the same seed (stdout,
// stderr, exit code, run record, trace bytes), however old the zygote is and however many seeds the
// child ran before (it recycles itself, runtime/node/recycle.h), and a child that crashes or hangs must
// cost its seed only, never the zygote.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "matrix.h"
#include "runtime/node/host.h"
#include "sim/seed_runner.h"
#include "sim/zygote_runner.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

namespace loopsim::sim {
namespace {

std::string Program(const std::string& name) { return std::string(LOOPSIM_ZYGOTE_PROGRAMS) + "/" + name; }

// A file's whole text ("" if there is none), then the file is removed.
std::string ReadAndRemove(const std::string& path) {
  std::string text = testing::Slurp(path);
  ::unlink(path.c_str());
  return text;
}

// A scratch directory for one test's runners, removed with them.
class Scratch {
 public:
  Scratch() {
    char dir[] = "/tmp/loopsim-zygote-test-XXXXXX";
    EXPECT_NE(mkdtemp(dir), nullptr);
    path_ = dir;
  }
  ~Scratch() { ::rmdir(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

SeedRunnerOptions Options(const std::string& scratch, const std::string& program) {
  SeedRunnerOptions o;
  o.loopsim_binary = LOOPSIM_BIN;
  o.script = Program(program);
  o.scratch_dir = scratch;
  o.timeout_ms = 60'000;
  return o;
}

SeedRequest Seed(uint64_t seed) {
  SeedRequest r;
  r.seed = seed;
  r.keep_trace = true;
  return r;
}

// Everything a seed's result is made of, apart from how long it took.
void ExpectSameRun(const SeedResult& a, const SeedResult& b, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(a.infra_error, "");
  ASSERT_EQ(b.infra_error, "");
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.err, b.err);
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_EQ(a.term_signal, b.term_signal);
  EXPECT_EQ(a.timed_out, b.timed_out);
  ASSERT_EQ(a.has_record, b.has_record);
  EXPECT_EQ(RunRecordToJson(a.record), RunRecordToJson(b.record));
  EXPECT_EQ(a.trace, b.trace);
}

TEST(Zygote, ChildrenGiveWhatLoopsimRunGivesForTheSameSeed) {
  for (const char* program : {"timers_promises.js", "fs_rmw.js", "entropy.js", "uncaught.js", "handled_throw.js",
                              "exit_code.js", "gc_heavy.js", "starts_clean.js"}) {
    Scratch scratch;
    const SeedRunnerOptions o = Options(scratch.path(), program);
    std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
    std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
    for (uint64_t seed : {0, 1, 2, 7, 123456789}) {
      const SeedResult expected = run->Run(Seed(seed));
      const SeedResult got = zygote->Run(Seed(seed));
      ExpectSameRun(expected, got, std::string(program) + " seed " + std::to_string(seed));
      EXPECT_FALSE(expected.trace.empty());
    }
  }
}

TEST(Zygote, ChildrenGiveWhatLoopsimRunGivesUnderFaultsAndSchedules) {
  for (const char* program : {"fs_rmw.js", "timers_promises.js"}) {
    Scratch scratch;
    SeedRunnerOptions o = Options(scratch.path(), program);
    o.flags.faults = "light";
    std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
    std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
    for (uint64_t seed : {3, 4, 11}) {
      const SeedResult expected = run->Run(Seed(seed));
      ExpectSameRun(expected, zygote->Run(Seed(seed)), std::string(program) + " faults seed " + std::to_string(seed));
      // Replaying the seed's decision log gives the seed again, in a zygote child too.
      ASSERT_TRUE(expected.has_record);
      SeedRequest replay = Seed(seed);
      replay.schedule = expected.record.schedule;
      ExpectSameRun(run->Run(replay), zygote->Run(replay), std::string(program) + " replay " + std::to_string(seed));
    }
  }
}

// A sweep asks for no decision log (it reruns a seed from the seed alone): the child then keeps none, and
// everything else about the run is as with the log.
TEST(Zygote, ASeedRunWithoutItsDecisionLogIsTheSameRunWithAnEmptyLog) {
  Scratch scratch;
  const SeedRunnerOptions o = Options(scratch.path(), "timers_promises.js");
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  for (uint64_t seed : {0, 5}) {
    SeedResult expected = zygote->Run(Seed(seed));
    SeedRequest without = Seed(seed);
    without.keep_decisions = false;
    const SeedResult got = zygote->Run(without);
    ASSERT_TRUE(got.has_record);
    EXPECT_TRUE(got.record.schedule.decisions.empty());
    EXPECT_FALSE(expected.record.schedule.decisions.empty());
    expected.record.schedule.decisions.clear();
    ExpectSameRun(expected, got, "seed " + std::to_string(seed));
  }
}

TEST(Zygote, ChildrenAreReseededNotCopiesOfTheZygote) {
  Scratch scratch;
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(Options(scratch.path(), "entropy.js"), 0);
  const SeedResult a = zygote->Run(Seed(1));
  const SeedResult b = zygote->Run(Seed(2));
  const SeedResult a_again = zygote->Run(Seed(1));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_NE(a.out, b.out);  // Math.random, randomUUID, randomBytes, randomInt all come from the seed
  EXPECT_EQ(a.out, a_again.out);
  for (const char* line : {"random ", "uuid ", "bytes ", "int "}) {
    const auto value = [line](const std::string& out) {
      const size_t at = out.find(line);
      return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
    };
    EXPECT_NE(value(a.out), "") << line;
    EXPECT_NE(value(a.out), value(b.out)) << line;
  }
}

TEST(Zygote, AnOldZygotesChildrenBehaveAsAYoungOnes) {
  // V8 posts delayed tasks while booting; if any ran on the zygote's age (host time), children of a
  // zygote older than about 8 s would collect garbage where young ones do not.
  Scratch scratch;
  const SeedRunnerOptions o = Options(scratch.path(), "gc_heavy.js");
  std::unique_ptr<ZygoteRunner> young = MakeZygoteRunner(o, 0);
  ZygoteRunnerOptions aged;
  aged.test_age_ms = 9'000;
  std::unique_ptr<ZygoteRunner> old = MakeZygoteRunner(o, 1, aged);
  for (uint64_t seed : {0, 5, 9}) {
    ExpectSameRun(young->Run(Seed(seed)), old->Run(Seed(seed)), "seed " + std::to_string(seed));
  }
}

TEST(Zygote, ACrashingChildIsReportedAndTheZygoteGoesOn) {
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "hello.js");
  o.extra_run_args = {"--test-segv-on-seed", "3"};
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  const SeedResult before = zygote->Run(Seed(2));
  const int zygote_children_before = zygote->last_costs().pid;
  const SeedResult crash = zygote->Run(Seed(3));
  const SeedResult after = zygote->Run(Seed(4));
  EXPECT_EQ(before.exit_code, 0);
  EXPECT_EQ(crash.term_signal, SIGSEGV);
  EXPECT_FALSE(crash.has_record);
  EXPECT_EQ(crash.infra_error, "");
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_EQ(after.out, before.out);
  EXPECT_NE(zygote->last_costs().pid, zygote_children_before);
  EXPECT_EQ(zygote->zygotes_started(), 1);
}

TEST(Zygote, AHangingChildIsKilledAndTheZygoteGoesOn) {
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "spin.js");
  o.timeout_ms = 1'000;
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  const SeedResult hang = zygote->Run(Seed(1));
  EXPECT_TRUE(hang.timed_out);
  EXPECT_EQ(hang.infra_error, "");
  EXPECT_EQ(hang.out, "spinning\n");
  const SeedResult again = zygote->Run(Seed(2));
  EXPECT_TRUE(again.timed_out);
  EXPECT_EQ(zygote->zygotes_started(), 1);
}

TEST(Zygote, ADeadZygoteIsReplaced) {
  Scratch scratch;
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(Options(scratch.path(), "hello.js"), 0);
  const SeedResult first = zygote->Run(Seed(1));
  ASSERT_EQ(first.exit_code, 0);
  ASSERT_GT(zygote->zygote_pid(), 0);
  ::kill(zygote->zygote_pid(), SIGKILL);
  const SeedResult second = zygote->Run(Seed(1));
  EXPECT_EQ(second.infra_error, "");
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(zygote->zygotes_started(), 2);
}

TEST(Zygote, ARequestForAnotherProgramRunsAsAProcessOfItsOwn) {
  // A check-preload mutation gives every run a preload file of its own: not the program the zygote
  // booted, so the runner falls back to `loopsim run`, with the same result.
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "timers_promises.js");
  o.extra_run_args = {"--check", "--test-mutation", "defer-ticks"};
  std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  const SeedResult got = zygote->Run(Seed(1));
  EXPECT_EQ(zygote->fallback_runs(), 1);
  ExpectSameRun(run->Run(Seed(1)), got, "mismatch fallback");
}

// A child recycles itself between seeds (runtime/node/recycle.h): whatever the seeds before it did to
// its memory, a seed gives what a fresh `loopsim run` gives.
TEST(Zygote, ARecycledChildGivesWhatLoopsimRunGivesSeedAfterSeed) {
  Scratch scratch;
  const SeedRunnerOptions o = Options(scratch.path(), "recycle_stress.js");
  std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  std::set<int> children;
  int recycled = 0;
  for (uint64_t seed : {4, 0, 4, 9, 1, 2, 4, 7}) {
    ExpectSameRun(run->Run(Seed(seed)), zygote->Run(Seed(seed)), "seed " + std::to_string(seed));
    if (zygote->last_costs().recycled) ++recycled;
    children.insert(zygote->last_costs().pid);
  }
  EXPECT_EQ(recycled, 8);         // every seed's child put itself back after it
  EXPECT_EQ(children.size(), 1);  // ... and ran the next
  EXPECT_EQ(zygote->zygotes_started(), 1);
}

// The same, with the restore broken on purpose (written pages stay as the seed left them): the child
// cannot go on (it ends between seeds, and a fresh one runs the next), or a seed differs from `loopsim
// run`; either way the test above would fail.
TEST(Zygote, ARestoreThatLeavesWrittenPagesIsCaught) {
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "recycle_stress.js");
  o.timeout_ms = 10'000;
  ZygoteRunnerOptions broken;
  broken.test_recycle_leaves_pages = true;
  std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0, broken);
  int differ = 0;
  std::set<int> children;
  for (uint64_t seed : {4, 0, 4, 9}) {
    const SeedResult expected = run->Run(Seed(seed));
    const SeedResult got = zygote->Run(Seed(seed));
    if (got.out != expected.out || got.exit_code != expected.exit_code || got.term_signal != 0 || got.timed_out ||
        got.trace != expected.trace) {
      ++differ;
    }
    children.insert(zygote->last_costs().pid);
  }
  EXPECT_TRUE(differ > 0 || children.size() > 1) << differ << " differ, " << children.size() << " children";
}

// A child forked per seed (the benchmark's comparison) gives the same too.
TEST(Zygote, AForkPerSeedGivesWhatLoopsimRunGives) {
  Scratch scratch;
  const SeedRunnerOptions o = Options(scratch.path(), "recycle_stress.js");
  ZygoteRunnerOptions fork;
  fork.fork_per_seed = true;
  std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0, fork);
  for (uint64_t seed : {4, 0}) {
    ExpectSameRun(run->Run(Seed(seed)), zygote->Run(Seed(seed)), "seed " + std::to_string(seed));
    EXPECT_FALSE(zygote->last_costs().recycled);
  }
}

TEST(Zygote, TwoHundredSequentialForksAreAllClean) {
  Scratch scratch;
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(Options(scratch.path(), "timers_promises.js"), 0);
  int clean = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SeedRequest r;
    r.seed = seed;
    const SeedResult result = zygote->Run(r);
    const bool ok = result.infra_error.empty() && result.exit_code == 0 && result.term_signal == 0 &&
                    !result.timed_out && result.has_record && result.err.empty() &&
                    result.out.find("await 2") != std::string::npos;
    if (ok) ++clean;
    EXPECT_TRUE(ok) << "seed " << seed << ": " << result.infra_error << result.err;
  }
  EXPECT_EQ(clean, 200);
  EXPECT_EQ(zygote->zygotes_started(), 1);
}

// A child whose seed ends with process.exit() puts itself back like any other, under every node of the
// matrix: from Node 22 on, node's own process.exit() closed a loop of the real libuv and unmapped its
// io_uring rings, which a restore cannot map again, so every such seed cost a fork (teardown.cc).
class ZygoteOnEveryNode : public ::testing::TestWithParam<loopsim::testing::TestNode> {};

TEST_P(ZygoteOnEveryNode, AChildWhoseSeedCallsProcessExitRecyclesItself) {
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "exit_from_timer.js");
  o.flags.node = GetParam().path;
  std::unique_ptr<SeedRunner> run = MakeSubprocessRunner(o, 0);
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  std::set<int> codes;
  int recycled = 0;
  for (uint64_t seed : {0, 1, 2, 3, 4, 5}) {
    const SeedResult expected = run->Run(Seed(seed));
    ExpectSameRun(expected, zygote->Run(Seed(seed)), "seed " + std::to_string(seed));
    codes.insert(expected.exit_code);
    if (zygote->last_costs().recycled) ++recycled;
  }
  EXPECT_EQ(codes, (std::set<int>{0, 3}));  // both ends, each through process.exit()
  EXPECT_EQ(recycled, 6);
  EXPECT_EQ(zygote->zygotes_started(), 1);
}

// A node's stdout and stderr for a program, run plainly (no simulation; these programs do not depend on
// timing). Both go to files, as a seed's do: a pipe would be an async resource of node's own and move
// the program's async ids by one.
void RunReferenceNode(const std::string& node, const std::string& script, std::string* out, std::string* err) {
  const std::string base = "/tmp/loopsim-zygote-test-node-" + std::to_string(::getpid());
  const std::string command = node + " " + script + " >" + base + ".out 2>" + base + ".err";
  ASSERT_NE(std::system(command.c_str()), -1);
  *out = ReadAndRemove(base + ".out");
  *err = ReadAndRemove(base + ".err");
}

TEST_P(ZygoteOnEveryNode, TheBootLeavesNothingTheProgramCanSee) {
  // Async ids, RegExp statics, the module cache, argv: as a fresh node process has them. And an uncaught
  // exception from the main module prints node's report, down to its last stack frame.
  for (const char* program : {"starts_clean.js", "uncaught.js"}) {
    Scratch scratch;
    SeedRunnerOptions o = Options(scratch.path(), program);
    o.flags.node = GetParam().path;
    std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
    std::string out, err;
    RunReferenceNode(GetParam().path, Program(program), &out, &err);
    ASSERT_FALSE(out.empty());
    const SeedResult child = zygote->Run(Seed(0));
    EXPECT_EQ(child.out, out) << program;
    EXPECT_EQ(child.err, err) << program;
  }
}

// The functions of node's own V8 compiled to bytecode after the program's script was loaded, each as
// "node:MODULE:NAME", by V8's function events (--log-function-events): "script-details,ID,NAME,..." names
// a script, and "function,interpreter,ID,START,END,TIME,TIMESTAMP,NAME" is a function compiled (V8 10,
// Node 18's, says "interpreter-lazy" for one compiled on its first call).
std::set<std::string> NodeFunctionsCompiledInTheSeed(const std::string& log, const std::string& script) {
  std::map<std::string, std::string> scripts;  // id -> name
  std::set<std::string> compiled;
  bool in_seed = false;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) f.push_back(field);
    if (f.size() >= 3 && f[0] == "script-details") {
      scripts[f[1]] = f[2];
      if (f[2] == script) in_seed = true;
    }
    if (in_seed && f.size() >= 8 && f[0] == "function" && (f[1] == "interpreter" || f[1] == "interpreter-lazy") &&
        scripts[f[2]].starts_with("node:")) {
      compiled.insert(scripts[f[2]] + ":" + f.back());
    }
  }
  return compiled;
}

TEST_P(ZygoteOnEveryNode, TheWarmUpHasCompiledWhatSocketsTicksAndTimersNeedBeforeTheSeed) {
  // The warm-up's socket, tick and rehearsed timers (boot_script.cc) spare every seed compiling what
  // making a socket, running a tick and the loop's timers and immediates call, and net, compiled whole
  // as it loads, what connecting calls, on every node of the matrix (the tick and the timers only where
  // the bridge finds node's async id counter: it must on each).
  const std::string log = "/tmp/loopsim-zygote-test-functions-" + std::to_string(::getpid()) + ".log";
  const std::string script = Program("socket_connect.js");
  testing::RunOptions run;
  run.argv = {LOOPSIM_BIN, "run", "--node", GetParam().path, "--node-option=--log-function-events",
              "--node-option=--logfile=" + log, "--node-option=--no-logfile-per-isolate", script};
  const testing::RunResult result = testing::RunProcess(run);
  ASSERT_EQ(result.exit_code, 0) << result.Describe(run) << result.err;
  const std::set<std::string> compiled = NodeFunctionsCompiledInTheSeed(ReadAndRemove(log), script);
  EXPECT_EQ(compiled.count("node:net:Socket"), 0u);
  EXPECT_EQ(compiled.count("node:net:Socket.connect"), 0u);
  EXPECT_EQ(compiled.count("node:internal/process/task_queues:processTicksAndRejections"), 0u);
  EXPECT_EQ(compiled.count("node:internal/timers:listOnTimeout"), 0u);
  EXPECT_EQ(compiled.count("node:internal/timers:processImmediate"), 0u);
  // Never called before the seed (the warm-up's streams never fail): the log shows what a seed compiles.
  EXPECT_EQ(compiled.count("node:internal/streams/destroy:emitErrorNT"), 1u);
}

TEST_P(ZygoteOnEveryNode, TheBootLeavesTheSeedNoBaselineBatchToCompile) {
  // V8 compiles baseline (Sparkplug) code in batches; the boot has the batch it queued compiled before
  // the seed (boot_script.cc's loopsimFlushBaselineBatch), where every seed compiled it at its first
  // require before. V8's trace of its batches (--trace-baseline-batch-compilation, printed by node to
  // stdout): the flush's batch is the last an empty program's run compiles.
  testing::RunOptions run;
  run.argv = {LOOPSIM_BIN, "run", "--node", GetParam().path, "--node-option=--trace-baseline-batch-compilation",
              Program("empty.js")};
  const testing::RunResult result = testing::RunProcess(run);
  ASSERT_EQ(result.exit_code, 0) << result.Describe(run) << result.err;
  const size_t filler = result.out.find(" filler with estimated size");
  ASSERT_NE(filler, std::string::npos) << "the boot's flush was never queued:\n" << result.out;
  int batches_after = 0;
  for (size_t at = result.out.find("Compiling current batch", filler); at != std::string::npos;
       at = result.out.find("Compiling current batch", at + 1)) {
    ++batches_after;
  }
  EXPECT_EQ(batches_after, 1) << "the seed compiled a batch of its own:\n" << result.out.substr(filler);
}

TEST_P(ZygoteOnEveryNode, TheRehearsalLeavesNodesTimerFunctionsOptimisedForTheSeed) {
  // Under node 18, 20 and 22 (the V8s boot_script.cc's loopsimFastTiers knows) V8 optimises node's timer
  // functions in the boot's rehearsal, and that code outlives the boot's collection: a seed that sleeps
  // 3,600 times neither marks nor compiles any of them again. V8's --trace-opt, in the seed's stdout.
  if (GetParam().major >= 24) GTEST_SKIP() << "node " << GetParam().major << " rehearses without";
  Scratch scratch;
  SeedRunnerOptions o = Options(scratch.path(), "sleeps.js");
  o.flags.node = GetParam().path;
  o.flags.node_options = {"--trace-opt"};
  std::unique_ptr<ZygoteRunner> zygote = MakeZygoteRunner(o, 0);
  const SeedResult child = zygote->Run(Seed(0));
  ASSERT_EQ(child.exit_code, 0) << child.err;
  ASSERT_NE(child.out.find("slept 3600 times"), std::string::npos) << child.out;
  for (const char* function : {"listOnTimeout", "processTimers", "Timeout", "setTimeout", "insert"}) {
    EXPECT_EQ(child.out.find(std::string("<JSFunction ") + function + " "), std::string::npos)
        << function << " was optimised again in the seed:\n" << child.out;
  }
}

TEST_P(ZygoteOnEveryNode, TheBootPutsBackEveryV8FlagItChanges) {
  // The boot changes V8's flags for a while (boot_script.cc's rehearsal, v8_seed.cc's collection); the
  // seed must find each as node started with it. V8 stamps a code cache with a hash of its flags and
  // refuses a cache made under other ones, so a cache a fresh node made under loopsim's flags
  // (kV8Flags) is accepted in the seed only if no flag was left changed.
  testing::RunOptions make;
  make.argv = {GetParam().path};
  for (const char* flag : node_host::kV8Flags) make.argv.push_back(flag);
  make.argv.insert(make.argv.end(), {Program("code_cache.js"), "make"});
  const testing::RunResult made = testing::RunProcess(make);
  ASSERT_EQ(made.exit_code, 0) << made.Describe(make) << made.err;
  std::string cache = made.out;
  while (!cache.empty() && cache.back() == '\n') cache.pop_back();
  ASSERT_FALSE(cache.empty());
  testing::RunOptions run;
  run.argv = {LOOPSIM_BIN, "run", "--node", GetParam().path, "--env", "LOOPSIM_TEST_CODE_CACHE=" + cache,
              Program("code_cache.js")};
  const testing::RunResult result = testing::RunProcess(run);
  ASSERT_EQ(result.exit_code, 0) << result.Describe(run) << result.err;
  EXPECT_EQ(result.out, "accepted\n");
}

LOOPSIM_TEST_ON_EVERY_NODE(ZygoteOnEveryNode);

}  // namespace
}  // namespace loopsim::sim
