// See test_command.h.
#include "sim/test_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "runtime/node/host.h"
#include "sim/explore.h"
#include "sim/host_files.h"
#include "sim/interrupt.h"
#include "sim/report.h"
#include "sim/seed_runner.h"
#include "sim/stdin.h"

namespace loopsim::sim {

namespace {

const std::string kReporters = node_host::kReportersPath;

// The file node_modules/.bin/NAME leads to, from `dir` or the nearest folder above it that has one.
std::string FindBin(const std::string& name, std::string dir) {
  while (true) {
    const std::string bin = dir + "/node_modules/.bin/" + name;
    if (IsFile(bin)) return RealPath(bin);
    if (dir.empty() || dir == "/") return "";
    const size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

Framework FrameworkOf(const std::string& script) {
  if (script.find("/node_modules/mocha/") != std::string::npos) return Framework::kMocha;
  if (script.find("/node_modules/jest/") != std::string::npos ||
      script.find("/node_modules/jest-cli/") != std::string::npos) {
    return Framework::kJest;
  }
  if (script.find("/node_modules/vitest/") != std::string::npos) return Framework::kVitest;
  return Framework::kNodeTest;
}

// The options that put loopsim's reporter next to the framework's own.
void AddReporter(TestTarget& t) {
  switch (t.framework) {
    case Framework::kMocha: t.node_options.push_back("--require=" + kReporters + "/mocha.js"); break;
    case Framework::kJest:
      t.args.push_back("--reporters=default");
      t.args.push_back("--reporters=" + kReporters + "/jest.js");
      break;
    case Framework::kVitest:
      // No file changes in a seed's run, so vitest's watch mode (its default outside CI) would only wait.
      t.args.push_back("--run");
      t.args.push_back("--reporter=default");
      t.args.push_back("--reporter=" + kReporters + "/vitest.js");
      break;
    case Framework::kNodeTest:
      t.node_options.insert(t.node_options.end(),
                            {"--test-reporter=spec", "--test-reporter-destination=stdout",
                             "--test-reporter=" + kReporters + "/node_test.js", "--test-reporter-destination=stderr"});
      break;
  }
}

// A regular expression that matches `text` literally.
std::string Literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string SpaceJoined(std::string name) {
  for (size_t at; (at = name.find(" › ")) != std::string::npos;) name.replace(at, 5, " ");
  return name;
}

// The target narrowed to one test, by its framework's own filter.
TestTarget OnlyTest(TestTarget t, const TestTally& test) {
  switch (t.framework) {
    case Framework::kMocha: t.args.insert(t.args.end(), {"--fgrep", SpaceJoined(test.name)}); break;
    case Framework::kJest: t.args.insert(t.args.end(), {"-t", "^" + Literal(SpaceJoined(test.name)) + "$"}); break;
    // Vitest matches the names joined by spaces after its unnamed top-level suite's "" (vitest 1: " a b").
    case Framework::kVitest: t.args.insert(t.args.end(), {"-t", "^ ?" + Literal(SpaceJoined(test.name)) + "$"}); break;
    case Framework::kNodeTest: {
      const size_t last = test.name.rfind(" › ");
      const std::string leaf = last == std::string::npos ? test.name : test.name.substr(last + 5);
      t.node_options.push_back("--test-name-pattern=^" + Literal(leaf) + "$");
      break;
    }
  }
  return t;
}

ExploreCommand CommandFor(const ExploreCommand& cmd, const TestTarget& t) {
  ExploreCommand e = cmd;
  e.script = t.script;
  e.args = t.args;
  e.flags.node_options.insert(e.flags.node_options.begin(), t.node_options.begin(), t.node_options.end());
  e.flags.report_tests = true;
  e.test_words.clear();
  return e;
}

std::string ReplayCommand(const std::string& argv0, const ExploreCommand& e, uint64_t seed) {
  std::vector<std::string> words = {argv0, "replay"};
  for (const std::string& a : e.flags.ToArgs()) words.push_back(a);
  words.insert(words.end(), {"--seed", std::to_string(seed)});
  if (!e.script.empty() && e.script[0] == '-') words.push_back("--");
  words.push_back(e.script);
  words.insert(words.end(), e.args.begin(), e.args.end());
  return ShellLine(words);
}

// Whether the test alone (its framework's filter) fails on `seed` too.
bool FailsAlone(const ExploreCommand& alone, const TestTally& test, uint64_t seed) {
  const std::string dir = MakeScratchDir("loopsim-test-");
  if (dir.empty()) return false;
  SeedRunnerOptions o;
  o.loopsim_binary = "/proc/self/exe";
  o.script = alone.script;
  o.args = alone.args;
  o.flags = alone.flags;
  o.timeout_ms = alone.timeout_ms;
  o.scratch_dir = dir;
  SeedRequest request;
  request.seed = seed;
  const SeedResult r = MakeSubprocessRunner(o, 0)->Run(request);
  std::filesystem::remove_all(dir);
  if (!r.has_record) return false;
  return std::any_of(r.record.tests.begin(), r.record.tests.end(), [&](const TestResult& t) {
    return !t.passed && t.name == test.name && t.file == test.file;
  });
}

// A seed on which the test, run alone, fails: its first failing seed when it fails alone there too (a
// narrower run has another schedule, so often it does not), else the first of a sweep of the test alone
// over as many seeds as the whole run had (at most 64). nullopt when it never fails alone.
std::optional<uint64_t> SeedFailingAlone(const ExploreCommand& alone, const std::string& argv0, const TestTally& t) {
  if (FailsAlone(alone, t, t.failed_seeds.front())) return t.failed_seeds.front();
  ExploreCommand sweep = alone;
  sweep.seeds = std::min<uint64_t>(sweep.seeds, 64);
  sweep.json_path.clear();
  sweep.junit_path.clear();
  sweep.check_determinism = false;
  absl::StatusOr<Summary> s = Explore(sweep, argv0);
  if (!s.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(s.status().message()).c_str());
    return std::nullopt;
  }
  for (const TestTally& k : s->tests) {
    if (k.name == t.name && k.file == t.file && k.failed > 0) return k.failed_seeds.front();
  }
  return std::nullopt;
}

// Adds one target's sweep to the whole: its runs, failures and test tallies, with a replay per failing
// test.
void Fold(const Summary& one, const std::string& argv0, const ExploreCommand& cmd, const TestTarget& target,
          Summary* all) {
  const ExploreCommand e = CommandFor(cmd, target);
  all->runs += one.runs;
  all->failed += one.failed;
  all->wall_s += one.wall_s;
  all->interrupted = one.interrupted;
  all->failures.insert(all->failures.end(), one.failures.begin(), one.failures.end());
  for (TestTally t : one.tests) {
    if (t.failed > 0 && StopSignal() == 0) {
      const ExploreCommand alone = CommandFor(cmd, OnlyTest(target, t));
      const std::optional<uint64_t> seed = SeedFailingAlone(alone, argv0, t);
      t.reproduce = seed ? ReplayCommand(argv0, alone, *seed)
                         : ReplayCommand(argv0, e, t.failed_seeds.front()) + "   (fails only with the other tests)";
    }
    all->tests.push_back(std::move(t));
  }
}

}  // namespace

absl::StatusOr<std::vector<TestTarget>> ResolveTestCommand(const std::vector<std::string>& words_in,
                                                           const std::string& cwd) {
  std::vector<std::string> words = words_in;
  if (!words.empty() && words[0] == "npx") {
    words.erase(words.begin());
    while (!words.empty() && words[0].rfind("-", 0) == 0) words.erase(words.begin());  // --no-install, -y
  }
  if (words.empty()) return absl::InvalidArgumentError("test: no command to run");
  std::vector<TestTarget> targets;
  if (words[0] == "node") {
    TestTarget t;
    size_t i = 1;
    for (; i < words.size() && words[i].rfind("-", 0) == 0; ++i) t.node_options.push_back(words[i]);
    if (i == words.size()) return absl::InvalidArgumentError("test: `node` needs a script");
    t.script = words[i];
    t.args.assign(words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
    t.framework = FrameworkOf(RealPath(t.script));
    targets.push_back(std::move(t));
  } else if (words[0].find('/') == std::string::npos && !IsFile(words[0])) {
    TestTarget t;
    t.script = FindBin(words[0], cwd);
    if (t.script.empty()) {
      return absl::NotFoundError("test: '" + words[0] + "' is neither a test file nor in node_modules/.bin here or above");
    }
    t.args.assign(words.begin() + 1, words.end());
    t.framework = FrameworkOf(t.script);
    targets.push_back(std::move(t));
  } else {
    for (const std::string& file : words) {
      if (!IsFile(file)) return absl::NotFoundError("test: cannot find the test file " + file);
      TestTarget t;
      t.script = file;
      targets.push_back(std::move(t));
    }
  }
  for (TestTarget& t : targets) AddReporter(t);
  return targets;
}

int RunTest(ExploreCommand cmd, const std::string& argv0) {
  if (!cmd.flags.preload.empty() || cmd.flags.check) {
    std::fprintf(stderr, "loopsim: test does not take --preload or --check yet\n");
    return 2;
  }
  // Every target's seeds read the same stdin: it is captured once, here.
  if (absl::Status passed = PassOwnStdin(&cmd.flags); !passed.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(passed.message()).c_str());
    return 2;
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == nullptr) return 2;
  absl::StatusOr<std::vector<TestTarget>> targets = ResolveTestCommand(cmd.test_words, cwd);
  if (!targets.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(targets.status().message()).c_str());
    return 2;
  }
  Summary all;
  for (const TestTarget& target : *targets) {
    const ExploreCommand e = CommandFor(cmd, target);
    absl::StatusOr<Summary> explored = Explore(e, argv0);
    if (!explored.ok()) {
      std::fprintf(stderr, "loopsim: %s\n", std::string(explored.status().message()).c_str());
      return 2;
    }
    const Summary& one = *explored;
    if (all.script.empty()) {
      // The first sweep names the run (script, node, seeds); Fold adds every sweep's results.
      all = one;
      all.runs = all.failed = 0;
      all.wall_s = 0;
      all.failures.clear();
      all.tests.clear();
    }
    Fold(one, argv0, cmd, target, &all);
    if (StopSignal() != 0) break;
  }
  std::fputs(SummaryToText(all).c_str(), stdout);
  std::fputs(TestsToText(all).c_str(), stdout);
  std::fflush(stdout);
  const int stop = StopSignal();
  const bool test_failed =
      std::any_of(all.tests.begin(), all.tests.end(), [](const TestTally& t) { return t.failed > 0; });
  int code = stop != 0 ? 128 + stop : test_failed || all.HasProgramFailures() ? 1 : all.HasUnsupported() ? 2 : 0;
  const absl::Status json = cmd.json_path.empty() ? absl::OkStatus() : WriteFile(cmd.json_path, SummaryToJson(all));
  const absl::Status junit = cmd.junit_path.empty() ? absl::OkStatus() : WriteFile(cmd.junit_path, TestsToJUnit(all));
  if (!json.ok() || !junit.ok()) {
    code = 2;
    std::fprintf(stderr, "loopsim: %s\n", std::string((junit.ok() ? json : junit).message()).c_str());
  }
  return code;
}

}  // namespace loopsim::sim
