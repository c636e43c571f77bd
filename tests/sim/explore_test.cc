// End-to-end tests of explore, replay, shrink and merge: each runs the loopsim binary on small programs
// (tests/sim/programs) and the bundled scenarios, with small seed counts so the group stays quick.
#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/files.h"
#include "tests/support/subprocess.h"

namespace loopsim::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class Explore : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/loopsim-explore-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string Program(const std::string& name) { return std::string(LOOPSIM_SIM_PROGRAMS) + "/" + name; }
  static std::string Scenario(const std::string& name) { return std::string(LOOPSIM_SCENARIOS) + "/" + name; }

  RunResult Loopsim(const std::vector<std::string>& args, int wall_s = 120) {
    RunOptions o;
    o.argv = {LoopsimBinary(LOOPSIM_BIN)};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.cwd = dir_;
    o.wall_limit = std::chrono::milliseconds(wall_s * 1000);
    last_ = o;
    RunResult r = RunProcess(o);
    EXPECT_TRUE(r.Exited()) << r.Describe(o) << "\n" << r.err;
    return r;
  }

  // A shell line (a printed replay command), run where explore ran.
  RunResult Shell(const std::string& line) {
    RunOptions o;
    o.argv = {"/bin/sh", "-c", line};
    o.cwd = dir_;
    last_ = o;
    return RunProcess(o);
  }

  // Runs explore with --json and returns the summary (and the process result in *result).
  json ExploreJson(std::vector<std::string> args, RunResult* result = nullptr) {
    const std::string out = dir_ + "/summary-" + std::to_string(++counter_) + ".json";
    args.insert(args.begin(), {"explore", "--jobs", "2", "--json", out});
    RunResult r = Loopsim(args);
    if (result != nullptr) *result = r;
    json j = json::parse(Slurp(out), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "no JSON summary; stdout:\n" << r.out << "\nstderr:\n" << r.err;
    return j;
  }

  static std::vector<std::string> Kinds(const json& summary) {
    std::vector<std::string> kinds;
    if (!summary.is_object()) return kinds;
    for (const json& f : summary["failures"]) kinds.push_back(f["kind"].get<std::string>());
    return kinds;
  }

  std::string What(const RunResult& r) const { return r.Describe(last_) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err; }

  std::string dir_;
  RunOptions last_;
  int counter_ = 0;
};

TEST_F(Explore, EachFailureKindIsProducedByItsProgramAndClassifiedRight) {
  struct Case {
    std::string program;
    std::vector<std::string> options;
    std::string kind;
  };
  const std::string counter = dir_ + "/runs-counter";
  const std::vector<Case> cases = {
      {Program("uncaught.js"), {}, "uncaught-exception"},
      {Program("rejection.js"), {}, "unhandled-rejection"},
      {Program("rejection_error.js"), {}, "unhandled-rejection"},
      {Program("exit_code.js"), {}, "nonzero-exit"},
      {Program("hang.js"), {"--max-virtual-ms", "2000"}, "hang"},
      {Program("spin.js"), {"--timeout-ms", "1500", "--seeds", "1"}, "timeout"},
      {Program("pass.js"), {"--test-run-arg", "--test-segv-on-seed", "--test-run-arg", "1"}, "crash"},
      {Program("eat_memory.js"), {"--max-memory-mb", "300"}, "out-of-memory"},
      {Program("unsupported.js"), {}, "unsupported"},
      {Scenario("init-order.fixed.js"),
       {"--check", "--test-run-arg", "--test-mutation", "--test-run-arg", "check-before-poll"},
       "invariant-violation"},
      {Program("pass.js"),
       {"--check-determinism", "--determinism-sample", "1", "--test-run-arg", "--test-nondeterministic",
        "--test-run-arg", counter},
       "nondeterminism"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"--seeds", "2"};
    args.insert(args.end(), c.options.begin(), c.options.end());
    args.push_back(c.program);
    RunResult r;
    const json summary = ExploreJson(args, &r);
    EXPECT_EQ(Kinds(summary), std::vector<std::string>{c.kind}) << c.program << "\n" << What(r);
    EXPECT_EQ(r.exit_code, c.kind == "unsupported" ? 2 : 1) << What(r);
    EXPECT_TRUE(Contains(r.out, c.kind + ": ")) << What(r);
    EXPECT_TRUE(Contains(r.out, "replay: ")) << What(r);
  }
}

TEST_F(Explore, AMemoryBudgetTurnsRunawayAllocationIntoOutOfMemory) {
  const json summary = ExploreJson({"--seeds", "1", "--max-memory-mb", "300", Program("eat_memory.js")});
  ASSERT_EQ(Kinds(summary), std::vector<std::string>{"out-of-memory"});
  EXPECT_TRUE(Contains(summary["failures"][0]["message"], "heap out of memory")) << summary.dump(2);
  // The budget is part of the replay command, and replay and shrink take it.
  const std::string replay = summary["failures"][0]["reproduce"];
  EXPECT_TRUE(Contains(replay, "--max-memory-mb 300")) << replay;
  // `replay` is the node process, which aborts as node does.
  const RunResult again = Shell(replay);
  EXPECT_FALSE(again.Exited() && again.exit_code == 0);
  EXPECT_TRUE(Contains(again.err, "heap out of memory")) << again.err;
  const RunResult shrink = Loopsim({"shrink", "--seed", "0", "--max-memory-mb", "300", "-o", dir_ + "/oom.json",
                                    Program("eat_memory.js")});
  EXPECT_TRUE(Contains(shrink.out + shrink.err, "out-of-memory")) << shrink.out << shrink.err;
}

TEST_F(Explore, ASignalCrashAmongPassingSeedsIsReportedAndTheRestPass) {
  const json summary = ExploreJson({"--seeds", "10", Program("abort.js")});
  ASSERT_EQ(Kinds(summary), std::vector<std::string>{"crash"});
  EXPECT_EQ(summary["failures"][0]["message"], "killed by SIGABRT");
  EXPECT_EQ(summary["runs"], 10);
  EXPECT_GT(summary["passed"].get<int>(), 0);
}

TEST_F(Explore, SpinningAndSegfaultingSeedsDoNotStopTheSweep) {
  RunResult r;
  const json summary = ExploreJson({"--seeds", "8", "--timeout-ms", "1500", "--test-run-arg", "--test-segv-on-seed",
                                    "--test-run-arg", "5", Program("sometimes_spin.js")},
                                   &r);
  EXPECT_EQ(r.exit_code, 1) << What(r);
  EXPECT_EQ(summary["runs"], 8);
  std::map<std::string, json> by_kind;
  for (const json& f : summary["failures"]) by_kind[f["kind"]] = f;
  ASSERT_TRUE(by_kind.count("crash")) << What(r);
  EXPECT_EQ(by_kind["crash"]["seeds"], json::array({5}));
  EXPECT_EQ(by_kind["crash"]["message"], "killed by SIGSEGV");
  ASSERT_TRUE(by_kind.count("timeout")) << What(r);
  EXPECT_GT(summary["passed"].get<int>(), 0) << What(r);
}

TEST_F(Explore, InitOrderFailsAndItsFixedTwinPasses) {
  RunResult r;
  const json bad = ExploreJson({"--seeds", "24", Scenario("init-order.js")}, &r);
  EXPECT_EQ(r.exit_code, 1) << What(r);
  ASSERT_EQ(Kinds(bad), std::vector<std::string>{"uncaught-exception"});
  EXPECT_EQ(bad["failures"][0]["message"], "TypeError: Cannot read properties of null (reading 'greeting')");
  EXPECT_TRUE(Contains(bad["failures"][0]["top_frame"], "init-order.js:13:")) << bad.dump(2);
  const json good = ExploreJson({"--seeds", "24", Scenario("init-order.fixed.js")}, &r);
  EXPECT_EQ(r.exit_code, 0) << What(r);
  EXPECT_EQ(good["failed"], 0);
}

TEST_F(Explore, LostUpdateIsFoundAndItsFixedTwinPasses) {
  // The acceptance run is 2,000 seeds each (ci/bench/lost-update.sh); this is its quick version.
  RunResult r;
  const json bad = ExploreJson({"--seeds", "60", Scenario("lost-update.js")}, &r);
  EXPECT_EQ(r.exit_code, 1) << What(r);
  bool lost = false;
  for (const json& f : bad["failures"]) lost = lost || Contains(f["message"], "lost update: expected 2, got 1");
  EXPECT_TRUE(lost) << bad.dump(2);
  const json good = ExploreJson({"--seeds", "60", Scenario("lost-update.fixed.js")}, &r);
  EXPECT_EQ(r.exit_code, 0) << What(r);
  EXPECT_EQ(good["failed"], 0);
  EXPECT_EQ(good["runs"], 60);
}

TEST_F(Explore, EveryReportedReplayCommandReproducesItsFailure) {
  std::vector<json> summaries = {
      ExploreJson({"--seeds", "30", Scenario("lost-update.js")}),
      ExploreJson({"--seeds", "30", "--strategy", "pct", Scenario("init-order.js")}),
      ExploreJson({"--seeds", "40", "--strategy", "exhaustive", Program("order.js")}),
  };
  int replayed = 0;
  for (const json& s : summaries) {
    ASSERT_FALSE(s["failures"].empty()) << s.dump(2);
    for (const json& f : s["failures"]) {
      const std::string command = f["reproduce"];
      const RunResult r = Shell(command);
      EXPECT_NE(r.exit_code, 0) << command << "\n" << What(r);
      // The message Node (or the program) printed is the one the failure was filed under.
      std::string message = f["message"];
      if (f["kind"] == "nonzero-exit") message = message.substr(message.find(": ") + 2);
      EXPECT_TRUE(Contains(r.err, message)) << command << "\nexpected: " << message << "\n" << What(r);
      ++replayed;
    }
  }
  EXPECT_GE(replayed, 3);
}

TEST_F(Explore, ReplayGivesRunsOutputExitAndTraceByteForByte) {
  for (const std::string seed : {"1", "4"}) {
    const RunResult run = Loopsim({"run", "--seed", seed, "--trace", dir_ + "/run.jsonl", Scenario("lost-update.js")});
    const RunResult replay =
        Loopsim({"replay", "--seed", seed, "--trace", dir_ + "/replay.jsonl", Scenario("lost-update.js")});
    EXPECT_EQ(run.exit_code, replay.exit_code);
    EXPECT_EQ(run.out, replay.out);
    EXPECT_EQ(run.err, replay.err);
    EXPECT_EQ(Slurp(dir_ + "/run.jsonl"), Slurp(dir_ + "/replay.jsonl"));
    EXPECT_FALSE(Slurp(dir_ + "/run.jsonl").empty());
  }
}

TEST_F(Explore, ShrunkScheduleStillFailsTheSameWayAndIsNeverLonger) {
  // Seed 1 loses the update (some seeds fail otherwise: a read that finds the file truncated by the other
  // request's write).
  const RunResult original = Loopsim({"run", "--seed", "1", "--record", dir_ + "/seed1.json", Scenario("lost-update.js")});
  ASSERT_EQ(original.exit_code, 1) << What(original);
  const json record = json::parse(Slurp(dir_ + "/seed1.json"));
  const RunResult shrink = Loopsim({"shrink", "--seed", "1", "--jobs", "2", "-o", dir_ + "/shrunk.json",
                                    Scenario("lost-update.js")});
  ASSERT_EQ(shrink.exit_code, 0) << What(shrink);
  const json shrunk = json::parse(Slurp(dir_ + "/shrunk.json"));
  auto non_plain = [](const json& decisions) {
    int n = 0;
    for (const json& d : decisions) n += d[2].get<int>() != 0;
    return n;
  };
  EXPECT_LE(shrunk["decisions"].size(), record["decisions"].size());
  EXPECT_LT(non_plain(shrunk["decisions"]), non_plain(record["decisions"]));
  EXPECT_EQ(shrunk["seed"], 1);
  const RunResult replay = Loopsim({"replay", "--schedule", dir_ + "/shrunk.json", Scenario("lost-update.js")});
  EXPECT_EQ(replay.exit_code, 1) << What(replay);
  EXPECT_TRUE(Contains(replay.err, "lost update: expected 2, got 1")) << What(replay);
  // The story in words names the race.
  EXPECT_TRUE(Contains(shrink.out, "fs read #2 completed")) << shrink.out;
  EXPECT_TRUE(Contains(shrink.out, "before fs write #1")) << shrink.out;

  const RunResult init = Loopsim({"shrink", "--seed", "1", "--jobs", "2", "-o", dir_ + "/init.json",
                                  Scenario("init-order.js")});
  ASSERT_EQ(init.exit_code, 0) << What(init);
  EXPECT_EQ(non_plain(json::parse(Slurp(dir_ + "/init.json"))["decisions"]), 1) << init.out;
  // "timer #N fired (iteration 1, ...) before ..., check #M ran, ...": the timer overtook the immediates.
  std::istringstream lines(init.out);
  bool told = false;
  for (std::string line; std::getline(lines, line);) {
    told = told || (line.rfind("  timer #", 0) == 0 && Contains(line, " fired ") && Contains(line, " before ") &&
                    Contains(line, "check #"));
  }
  EXPECT_TRUE(told) << init.out;
}

TEST_F(Explore, ShardsMergeIntoTheUnshardedResult) {
  const std::vector<std::string> common = {"--seeds", "12", Scenario("lost-update.js")};
  const json whole = ExploreJson(common);
  std::vector<std::string> merge_args = {"merge"};
  for (int k = 1; k <= 3; ++k) {
    std::vector<std::string> args = {"--shard", std::to_string(k) + "/3"};
    args.insert(args.end(), common.begin(), common.end());
    const json shard = ExploreJson(args);
    EXPECT_EQ(shard["runs"], 4);
    merge_args.push_back(dir_ + "/summary-" + std::to_string(counter_) + ".json");
  }
  merge_args.insert(merge_args.end(), {"--json", dir_ + "/merged.json", "--junit", dir_ + "/merged.xml"});
  const RunResult merge = Loopsim(merge_args);
  EXPECT_EQ(merge.exit_code, 1) << What(merge);
  json merged = json::parse(Slurp(dir_ + "/merged.json"));
  json expected = whole;
  for (json* j : {&merged, &expected}) {
    j->erase("stats");
    j->erase("merged_from");
  }
  EXPECT_EQ(merged, expected) << merged.dump(2) << "\n---\n" << expected.dump(2);
  EXPECT_TRUE(Contains(Slurp(dir_ + "/merged.xml"), "<testcase")) << Slurp(dir_ + "/merged.xml");
}

// The JSON summary without what differs between two runs of the same sweep (host time).
json Comparable(json j) {
  j.erase("stats");
  j.erase("merged_from");
  return j;
}

TEST_F(Explore, MessagesThatCarryVaryingDataAreOneGroup) {
  struct Case {
    std::vector<std::string> args;  // the program's
    std::string kind;
    std::string shape;  // a part of the group's shape
  };
  const std::vector<Case> cases = {
      {{"number"}, "uncaught-exception", "got <n> after <n> ms (<n>.<n> per reply, offset <n>)"},
      {{"number", "exit"}, "nonzero-exit", "exit code 1: expected <n> replies"},
      {{"id"}, "uncaught-exception", "job <uuid> failed: request req_<n> (trace <hex>, worker<n>)"},
      {{"hex"}, "uncaught-exception", "bad checksum <hex> at address <hex>"},
      {{"quoted"}, "uncaught-exception", "unknown user <str> in <str>"},
      {{"tmp"}, "uncaught-exception", "cannot write <tmp>: the disk is full"},
      {{"tmp", "exit"}, "nonzero-exit", "cannot write <tmp>: the disk is full"},
      {{"time"}, "uncaught-exception", "deadline missed at <n>-<n>-<n>T<n>:<n>:<n>.<n>Z (<n>)"},
      {{"perm"}, "uncaught-exception", "finished in the wrong order: <perm:abcde> (list "},
      {{"perm", "exit"}, "nonzero-exit", "finished in the wrong order: <perm:abcde>"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"--seeds", "12", Program("varying.js")};
    args.insert(args.end(), c.args.begin(), c.args.end());
    RunResult r;
    const json summary = ExploreJson(args, &r);
    const std::string what = c.args[0] + (c.args.size() > 1 ? " " + c.args[1] : "");
    ASSERT_EQ(summary["failures"].size(), 1u) << what << "\n" << What(r);
    const json& group = summary["failures"][0];
    EXPECT_EQ(group["kind"], c.kind) << what;
    EXPECT_EQ(group["count"], 12) << what;
    EXPECT_TRUE(Contains(group["shape"], c.shape)) << what << ": " << group["shape"];
    EXPECT_TRUE(Contains(group["site"], "varying.js:")) << what << ": " << group.dump(2);
    // The seeds did fail with different messages.
    EXPECT_GE(group["variants"].size(), 2u) << what << ": " << group.dump(2);
    EXPECT_TRUE(Contains(r.out, "distinct messages, the most common:")) << What(r);
  }
}

TEST_F(Explore, APermutationOfJobIdsFromTheThreadPoolIsOneGroup) {
  RunResult r;
  const json shape = ExploreJson({"--seeds", "40", Program("permutation.js")}, &r);
  EXPECT_EQ(r.exit_code, 1) << What(r);
  ASSERT_EQ(shape["failures"].size(), 1u) << What(r);
  const json& group = shape["failures"][0];
  EXPECT_EQ(group["shape"], "exit code 1: out of order: <perm:abcdef>");
  // process.exitCode was set, not process.exit(): the place is the line that wrote the message.
  EXPECT_TRUE(Contains(group["site"], "permutation.js:10:")) << group.dump(2);
  const size_t variants = group["variants"].size();
  EXPECT_GE(variants, 2u) << group.dump(2);
  // Grouped by exact message, as before: one group per order.
  const json exact = ExploreJson({"--seeds", "40", "--group-by", "message", Program("permutation.js")});
  EXPECT_EQ(exact["failures"].size(), variants);
  EXPECT_EQ(exact["failed"], shape["failed"]);
  EXPECT_EQ(exact["group_by"], "message");
}

TEST_F(Explore, GenuinelyDifferentFailuresStayApart) {
  RunResult r;
  const json summary = ExploreJson({"--seeds", "40", Program("two_failures.js")}, &r);
  EXPECT_EQ(r.exit_code, 1) << What(r);
  std::vector<std::string> shapes;
  for (const json& f : summary["failures"]) {
    shapes.push_back(f["kind"].get<std::string>() + ": " + f["shape"].get<std::string>());
  }
  std::sort(shapes.begin(), shapes.end());
  // The two checks print messages of one shape, from two places: two groups.
  EXPECT_EQ(shapes, (std::vector<std::string>{"nonzero-exit: exit code 1: check failed: <n> replies",
                                              "nonzero-exit: exit code 1: check failed: <n> replies",
                                              "nonzero-exit: exit code 1: lost update: n=<n>",
                                              "uncaught-exception: SyntaxError: Unexpected end of JSON input"}))
      << summary.dump(2);
  std::set<std::string> sites;
  for (const json& f : summary["failures"]) sites.insert(f["site"].get<std::string>());
  EXPECT_EQ(sites.size(), 4u) << summary.dump(2);
  const json by_kind = ExploreJson({"--seeds", "40", "--group-by", "kind", Program("two_failures.js")});
  EXPECT_EQ(Kinds(by_kind), (std::vector<std::string>{"nonzero-exit", "uncaught-exception"}));
}

TEST_F(Explore, ANonZeroExitComesFromTheLineThatWroteItsMessageElseFromTheProcessExitCall) {
  // Silent: process.exit(3) in two functions, two places, two groups.
  const json silent = ExploreJson({"--seeds", "20", Program("silent_exits.js")});
  std::set<std::string> sites;
  for (const json& f : silent["failures"]) {
    EXPECT_EQ(f["message"], "exit code 3") << f.dump(2);
    sites.insert(f["site"].get<std::string>());
  }
  const std::string script = Program("silent_exits.js");
  EXPECT_EQ(sites, (std::set<std::string>{script + ":4:11", script + ":7:11"})) << silent.dump(2);
  // process.exit(0) (line 24) runs an 'exit' listener that reports the failure (line 30) and sets
  // process.exitCode: the failure comes from the listener.
  const json shutdown = ExploreJson({"--seeds", "4", Scenario("graceful-shutdown.js")});
  ASSERT_EQ(shutdown["failures"].size(), 1u) << shutdown.dump(2);
  EXPECT_EQ(shutdown["failures"][0]["site"], Scenario("graceful-shutdown.js") + ":30:13");
  // The run record says both.
  const RunResult run =
      Loopsim({"run", "--seed", "0", "--record", dir_ + "/record.json", Scenario("graceful-shutdown.js")});
  EXPECT_EQ(run.exit_code, 1) << What(run);
  const json record = json::parse(Slurp(dir_ + "/record.json"));
  EXPECT_TRUE(Contains(record["exit_frame"], "graceful-shutdown.js:24:11")) << record.dump();
  EXPECT_TRUE(Contains(record["stderr_frame"], "graceful-shutdown.js:30:13")) << record.dump();
}

TEST_F(Explore, TheRunRecordSaysWhetherAnUncaughtErrorCameFromAPromise) {
  // Node's fatal-exception handler is told; Node 20 and later print both alike.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Promise.reject(new Error('no'));\n", "rejection"},
      {"setTimeout(() => { throw new Error('no'); }, 1);\n", "exception"},
      {"process.on('uncaughtException', () => {});\nsetTimeout(() => { throw new Error('no'); }, 1);\n", ""},
  };
  for (const auto& [source, fatal] : cases) {
    const std::string script = dir_ + "/fatal.js";
    std::ofstream(script) << source;
    const RunResult run = Loopsim({"run", "--record", dir_ + "/record.json", script});
    EXPECT_EQ(run.exit_code, fatal.empty() ? 0 : 1) << What(run);
    const json record = json::parse(Slurp(dir_ + "/record.json"));
    EXPECT_EQ(record.value("fatal", ""), fatal) << source << record.dump();
  }
}

TEST_F(Explore, AStopSignalReportsTheSeedsThatFinishedAndLeavesNoProcessBehind) {
  // A copy of its own, so that the processes of this sweep are the only ones naming it.
  for (const auto& [sig, status] : {std::pair{"TERM", 143}, std::pair{"INT", 130}}) {
    const std::string script = dir_ + "/slow-" + sig + ".js";
    std::filesystem::copy_file(Program("slow_seeds.js"), script, std::filesystem::copy_options::overwrite_existing);
    const std::string json_path = dir_ + "/interrupted.json", junit_path = dir_ + "/interrupted.xml";
    const std::string explore = LoopsimBinary(LOOPSIM_BIN) + " explore --seeds 100000 --jobs 2 --json " +
                                json_path + " --junit " + junit_path + " " + script;
    // The shell is not interactive: a job it starts in the background ignores SIGINT unless it is put
    // back. The lines are in a file, so that the only processes naming the script are the sweep's.
    const std::string driver = dir_ + "/interrupt.sh";
    std::ofstream(driver) << "trap - INT\n"
                          << explore << " &\n"
                          << "pid=$!\nsleep 3\nkill -" << sig << " $pid\nwait $pid\necho \"status $?\"\n"
                          << "sleep 0.5\npgrep -f " << script << " || echo 'none left'\n";
    const RunResult r = Shell("sh " + driver);
    EXPECT_TRUE(Contains(r.out, "status " + std::to_string(status))) << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, std::string("interrupted by SIG") + sig)) << r.out;
    EXPECT_TRUE(Contains(r.out, "none left")) << r.out;
    const json summary = json::parse(Slurp(json_path));
    EXPECT_EQ(summary["incomplete"], true);
    EXPECT_EQ(summary["interrupted"], std::string("SIG") + sig);
    EXPECT_GT(summary["runs"].get<uint64_t>(), 0u);
    EXPECT_LT(summary["runs"].get<uint64_t>(), 100000u);
    EXPECT_FALSE(summary["failures"].empty()) << summary.dump(2);  // about half the seeds fail
    EXPECT_TRUE(Contains(Slurp(junit_path), "type=\"interrupted\"")) << Slurp(junit_path);
  }
}

TEST_F(Explore, TheProgramSeesTheEnvironmentItWasGivenAndReplayCommandsCarryIt) {
  const std::string script = dir_ + "/env.js";
  std::ofstream(script) << "const { NODE_ENV, FROM_FILE, LOOPSIM_EXPLORE_TEST_PASSED, HOME } = process.env;\n"
                           "console.log(NODE_ENV, FROM_FILE, LOOPSIM_EXPLORE_TEST_PASSED, HOME);\n"
                           "if (NODE_ENV === 'production' && Math.random() < 0.5) process.exit(3);\n";
  std::ofstream(dir_ + "/app.env") << "# settings\nFROM_FILE=\"from the file\"\nHOME=/srv/app\n";
  ASSERT_EQ(::setenv("LOOPSIM_EXPLORE_TEST_PASSED", "passed", 1), 0);
  const std::vector<std::string> env = {"--env", "NODE_ENV=production", "--env-file", dir_ + "/app.env",
                                        "--pass-env", "LOOPSIM_EXPLORE_TEST_PASSED"};
  std::vector<std::string> run = {"run", "--seed", "1"};
  run.insert(run.end(), env.begin(), env.end());
  run.push_back(script);
  const RunResult one = Loopsim(run);
  EXPECT_TRUE(Contains(one.out, "production from the file passed /srv/app")) << What(one);
  // The zygote's seeds see it too; the replay command names every value.
  std::vector<std::string> explore = {"--seeds", "10"};
  explore.insert(explore.end(), env.begin(), env.end());
  explore.push_back(script);
  const json summary = ExploreJson(explore);
  ASSERT_EQ(summary["failures"].size(), 1u) << summary.dump(2);
  const std::string replay = summary["failures"][0]["reproduce"];
  EXPECT_TRUE(Contains(replay, "--env=NODE_ENV=production")) << replay;
  EXPECT_TRUE(Contains(replay, "'--env=FROM_FILE=from the file'")) << replay;
  ASSERT_EQ(::unsetenv("LOOPSIM_EXPLORE_TEST_PASSED"), 0);
  const RunResult again = Shell(replay);
  EXPECT_EQ(again.exit_code, 3) << again.out << again.err;
}

TEST_F(Explore, APreloadRunsBeforeEverySeedAndReplayCommandsCarryIt) {
  const std::string preload = dir_ + "/pre.js", script = dir_ + "/uses-pre.js";
  std::ofstream(preload) << "globalThis.preloaded = true;\n";
  std::ofstream(script) << "if (!globalThis.preloaded) process.exit(4);\n"
                           "setTimeout(() => { if (Math.random() < 0.5) process.exit(5); }, 1);\n";
  const json summary = ExploreJson({"--seeds", "8", "--preload", preload, script});
  ASSERT_EQ(summary["failures"].size(), 1u) << summary.dump(2);
  EXPECT_TRUE(Contains(summary["failures"][0]["message"], "exit code 5")) << summary.dump(2);
  const std::string replay = summary["failures"][0]["reproduce"];
  EXPECT_TRUE(Contains(replay, "--preload " + preload)) << replay;
  EXPECT_EQ(Shell(replay).exit_code, 5) << replay;
}

TEST_F(Explore, GroupsAndTheirOrderAreTheSameInEveryRun) {
  const std::vector<std::string> args = {"--seeds", "24", Program("two_failures.js")};
  const json a = ExploreJson(args);
  const json b = ExploreJson(args);
  std::vector<std::string> one_job = {"explore", "--jobs", "1", "--json", dir_ + "/one-job.json"};
  one_job.insert(one_job.end(), args.begin(), args.end());
  Loopsim(one_job);
  const json c = json::parse(Slurp(dir_ + "/one-job.json"));
  ASSERT_FALSE(a["failures"].empty());
  EXPECT_EQ(Comparable(a), Comparable(b));
  EXPECT_EQ(Comparable(a), Comparable(c));
}

TEST_F(Explore, ShardsOfGroupsWithManyMessagesMergeIntoTheUnshardedResult) {
  const std::vector<std::string> common = {"--seeds", "30", Program("varying.js"), "perm", "exit"};
  const json whole = ExploreJson(common);
  std::vector<std::string> merge_args = {"merge"};
  for (int k = 1; k <= 4; ++k) {
    std::vector<std::string> args = {"--shard", std::to_string(k) + "/4"};
    args.insert(args.end(), common.begin(), common.end());
    ExploreJson(args);
    merge_args.push_back(dir_ + "/summary-" + std::to_string(counter_) + ".json");
  }
  merge_args.insert(merge_args.end(), {"--json", dir_ + "/merged.json"});
  const RunResult merge = Loopsim(merge_args);
  EXPECT_EQ(merge.exit_code, 1) << What(merge);
  const json merged = json::parse(Slurp(dir_ + "/merged.json"));
  ASSERT_EQ(whole["failures"].size(), 1u);
  EXPECT_GE(whole["failures"][0]["variants"].size(), 5u);
  EXPECT_EQ(Comparable(merged), Comparable(whole)) << merged.dump(2) << "\n---\n" << whole.dump(2);
}

TEST_F(Explore, ExhaustiveSaysWhenItCoveredTheWholeTree) {
  RunResult r;
  const json summary = ExploreJson({"--seeds", "100", "--strategy", "exhaustive", Program("tiny.js")}, &r);
  EXPECT_EQ(r.exit_code, 0) << What(r);
  EXPECT_EQ(summary["runs"], 32);
  EXPECT_TRUE(Contains(summary["coverage"], "covered the whole decision tree")) << summary.dump(2);
  const json cut = ExploreJson({"--seeds", "10", "--strategy", "exhaustive", Program("tiny.js")});
  EXPECT_TRUE(Contains(cut["coverage"], "not covered")) << cut.dump(2);
}

TEST_F(Explore, BadInputIsAClearMessageAndExit2) {
  std::ofstream(dir_ + "/corrupt.json") << "{\"version\": 1, \"seed\": 0, \"decisions\": [[\"cpu-cost\", 16";
  const std::vector<std::vector<std::string>> bad = {
      {"explore", "--seeds", "2", dir_ + "/missing.js"},
      {"explore", "--seeds", "two", Program("pass.js")},
      {"explore", "--shard", "2/4", "--strategy", "exhaustive", Program("pass.js")},
      {"replay", "--schedule", dir_ + "/corrupt.json", Program("pass.js")},
      {"replay", Program("pass.js")},
      {"shrink", "--seed", "0", Program("pass.js")},
      {"shrink", "--seed", "0", dir_ + "/missing.js"},
      {"merge", dir_ + "/corrupt.json"},
      {"merge", dir_ + "/missing.json"},
  };
  for (const auto& args : bad) {
    const RunResult r = Loopsim(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args.back() << "\n" << What(r);
    EXPECT_TRUE(Contains(r.err, "loopsim: ")) << What(r);
  }
}

}  // namespace
}  // namespace loopsim::testing
