// Help and the README agree: every option README.md names is listed by the --help of each command it
// belongs to, and each command's help lists its own options and no other's (help is generated from the
// tables that parse the command line, so it cannot drift from the parser; this keeps the README honest).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "sim/cli.h"

namespace loopsim::sim {
namespace {

const std::vector<std::string> kRunningCommands = {"run", "replay", "explore", "shrink", "test"};

// Which commands' help must list each loopsim option the README names ("" is the overview, `loopsim
// --help`). An option the README gains needs an entry here, or in kNotLoopsims.
const std::map<std::string, std::vector<std::string>>& Owners() {
  static const auto* owners = [] {
    auto* m = new std::map<std::string, std::vector<std::string>>;
    for (const char* run_option : {"--node", "--node-option", "--env", "--env-file", "--pass-env", "--preload",
                                   "--backend", "--faults", "--strategy", "--pct-depth", "--pct-horizon",
                                   "--max-virtual-ms", "--max-iterations", "--max-memory-mb", "--check", "--root",
                                   "--report-tests", "--stdin", "--allow-addons", "--host", "--command"}) {
      (*m)[run_option] = kRunningCommands;
    }
    (*m)["--seed"] = {"run", "replay", "shrink"};
    (*m)["--schedule"] = {"run", "replay", "shrink"};
    (*m)["--force-schedule"] = {"run", "replay", "shrink"};
    (*m)["--record"] = {"run", "replay"};
    (*m)["--trace"] = {"run", "replay"};
    (*m)["--trace-format"] = {"run", "replay"};
    for (const char* explore_option : {"--seeds", "--jobs", "--shard", "--timeout-ms", "--check-determinism",
                                       "--max-failures", "--max-deviations", "--schedules-dir", "--group-by"}) {
      (*m)[explore_option] = {"explore", "test"};
    }
    (*m)["--json"] = {"explore", "merge", "test"};
    (*m)["--junit"] = {"explore", "merge", "test"};
    (*m)["--version"] = {""};
    (*m)["--help"] = {"", "run", "replay", "explore", "shrink", "test", "merge"};
    return m;
  }();
  return *owners;
}

// Options the README names that are not loopsim's to list, and why.
const std::set<std::string> kNotLoopsims = {
    // node's own, passed with --node-option or by loopsim itself
    "--require",       "--single-threaded",    "--no-memory-reducer", "--predictable", "--max-old-space-size",
    "--inspect",       "--enable-source-maps", "--conditions",        "--use-largepages",
    "--random-seed",   "--no-opt",             "--max-opt",           // V8's, named where the README says why
    "--log-function-events",  // V8's, which the README names as the way a compile count was measured
    "--ticks-before-optimization",  // V8's, a tiering flag the README says was measured and left out
    // V8's tiering and inlining flags the README's sixth pass measured and left out, and its tracing
    "--interrupt-budget", "--maglev", "--max-inlined-bytecode-size-cumulative", "--no-turbo-inlining",
    "--turbo-filter", "--trace-opt",
    // V8's, which the README's seventh pass names: its code cache's report, WebAssembly compiled whole
    "--profile-deserialization", "--no-wasm-lazy-compilation",
    // V8's, which the README's eighth pass names: its trace of baseline batches, Sparkplug turned off
    "--trace-baseline-batch-compilation", "--no-sparkplug",
    // V8's, which the README's ninth pass names: its traces of deoptimisation
    "--trace-deopt", "--trace-deopt-verbose",
    // V8's, which the README's tenth pass names: the thresholds and growth the boot's rehearsal changes
    "--invocation-count-for-turbofan", "--semi-space-growth-factor",
    "--gtest",          // the property tests' binary's (--gtest_filter)
    // the test frameworks' own, which loopsim test passes to them
    "--fgrep", "--test-name-pattern", "--test", "--test-reporter", "--pool", "--globals",
    "--run",      // vitest's, and jest's --runInBand as the README's option pattern reads it
    "--no-lazy",  // V8's
    "--memory", "--mode", "--print-output",  // the zygote_bench benchmark's
    "--test-mutation",  // test-only, hidden from help on purpose
};

// The option names a help text lists: each line "  -o,--output FILE  text" gives -o and --output.
std::set<std::string> ListedOptions(const std::string& help) {
  std::set<std::string> names;
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("  -", 0) != 0) continue;
    std::string first = line.substr(2, line.find(' ', 2) - 2);
    std::istringstream parts(first);
    for (std::string name; std::getline(parts, name, ',');) names.insert(name);
  }
  return names;
}

// One line per problem: an option the README names that a command it belongs to does not list, or that
// nobody has said where it belongs.
std::vector<std::string> CheckReadmeAgainstHelp(const std::string& readme,
                                                const std::map<std::string, std::string>& help_by_command) {
  std::set<std::string> named;
  const std::regex option(R"(--[a-z][a-z-]*)");
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), option); it != std::sregex_iterator(); ++it) {
    std::string name = it->str();
    while (name.back() == '-') name.pop_back();  // "--gtest_filter" stops at '_'; "--x-" is "--x"
    named.insert(name);
  }
  std::vector<std::string> problems;
  for (const std::string& name : named) {
    if (kNotLoopsims.count(name) != 0) continue;
    auto owners = Owners().find(name);
    if (owners == Owners().end()) {
      problems.push_back("README names " + name + ", which no command is said to take (Owners, kNotLoopsims)");
      continue;
    }
    for (const std::string& command : owners->second) {
      auto help = help_by_command.find(command);
      if (help == help_by_command.end() || ListedOptions(help->second).count(name) == 0) {
        problems.push_back("README names " + name + ", but `loopsim " + (command.empty() ? "" : command + " ") +
                           "--help` does not list it");
      }
    }
  }
  return problems;
}

std::map<std::string, std::string> RealHelp() {
  std::map<std::string, std::string> help = {{"", HelpText("")}};
  for (const char* command : {"run", "replay", "explore", "shrink", "test", "merge"}) {
    help[command] = HelpText(command);
  }
  return help;
}

std::string Readme() {
  std::ifstream in(LOOPSIM_README);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CliHelp, EveryOptionTheReadmeNamesIsInTheHelpOfItsCommands) {
  const std::string readme = Readme();
  ASSERT_GT(readme.size(), 1000u) << "cannot read " << LOOPSIM_README;
  const std::vector<std::string> problems = CheckReadmeAgainstHelp(readme, RealHelp());
  for (const std::string& p : problems) ADD_FAILURE() << p;
}

TEST(CliHelp, TheCheckCatchesAnOptionMissingFromHelpAndAnOptionOfNoCommand) {
  std::map<std::string, std::string> help = RealHelp();
  // explore's help without its --seeds line, as a hand-written help that drifted would be.
  std::string& explore = help["explore"];
  const size_t line = explore.find("\n  --seeds ");
  ASSERT_NE(line, std::string::npos) << explore;
  explore.erase(line, explore.find('\n', line + 1) - line);
  EXPECT_EQ(CheckReadmeAgainstHelp("run `explore --seeds 2000` and `--seed-start`", help),
            (std::vector<std::string>{"README names --seed-start, which no command is said to take (Owners, "
                                      "kNotLoopsims)",
                                      "README names --seeds, but `loopsim explore --help` does not list it"}));
  EXPECT_TRUE(CheckReadmeAgainstHelp("`--seeds`, `--seed` and `node --require`", RealHelp()).empty());
}

TEST(CliHelp, EachCommandListsItsOwnOptionsAndNoOtherCommandsOrHiddenOnes) {
  const std::set<std::string> run = ListedOptions(HelpText("run"));
  const std::set<std::string> explore = ListedOptions(HelpText("explore"));
  const std::set<std::string> shrink = ListedOptions(HelpText("shrink"));
  const std::set<std::string> merge = ListedOptions(HelpText("merge"));
  EXPECT_EQ(run, ListedOptions(HelpText("replay")));
  for (const char* o : {"--seed", "--schedule", "--record", "--trace", "--trace-format", "--node", "--check"}) {
    EXPECT_EQ(run.count(o), 1u) << o;
  }
  for (const char* o : {"--seeds", "--jobs", "--json", "-o", "--max-runs", "--test-mutation", "--test-segv-on-seed",
                        "--test-nondeterministic", "--test-run-arg"}) {
    EXPECT_EQ(run.count(o), 0u) << o;
  }
  for (const char* o : {"--seeds", "--seed-start", "--determinism-sample", "--pct-horizon", "--preload"}) {
    EXPECT_EQ(explore.count(o), 1u) << o;
  }
  for (const char* o : {"--seed", "--schedule", "--trace", "--test-run-arg", "-o"})
    EXPECT_EQ(explore.count(o), 0u) << o;
  for (const char* o : {"-o", "--output", "--max-runs", "--seed", "--schedule", "--env"}) {
    EXPECT_EQ(shrink.count(o), 1u) << o;
  }
  EXPECT_EQ(merge, (std::set<std::string>{"-h", "--help", "--json", "--junit"}));
  const std::string overview = HelpText("");
  for (const char* command : {"run", "replay", "explore", "shrink", "merge"}) {
    EXPECT_NE(overview.find(std::string("\n  ") + command + " "), std::string::npos) << command << "\n" << overview;
  }
}

// The help with each run of spaces and line breaks as one space: wrapping is not wording.
std::string Flat(const std::string& help) { return std::regex_replace(help, std::regex(R"(\s+)"), " "); }

TEST(CliHelp, DefaultsAreTheParsersDefaults) {
  const std::string explore = Flat(HelpText("explore"));
  const ExploreCommand defaults;
  EXPECT_NE(explore.find("(default: " + std::to_string(defaults.seeds) + ")"), std::string::npos);
  EXPECT_NE(explore.find("(default: " + std::to_string(defaults.timeout_ms) + ")"), std::string::npos);
  EXPECT_NE(explore.find("(default: " + defaults.group_by + ")"), std::string::npos);
  EXPECT_NE(explore.find("(default: the plain schedule's length)"), std::string::npos) << explore;
  const std::string run = Flat(HelpText("run"));
  // The budgets the runtime applies when the flags are 0, in the words help gives them.
  static_assert(runtime::kDefaultIterationBudget == 50'000'000);
  EXPECT_NE(run.find("loop iterations (default: 50 million)"), std::string::npos) << run;
  static_assert(runtime::kDefaultVirtualTimeBudget.ns == 7LL * 24 * 3600 * 1'000'000'000);
  EXPECT_NE(run.find("virtual time (default: one week)"), std::string::npos) << run;
  EXPECT_NE(run.find("(default: " + std::to_string(RunFlags().pct_horizon) + ")"), std::string::npos) << run;
  EXPECT_NE(Flat(HelpText("shrink")).find("(default: " + ShrinkCommand().output_path + ")"), std::string::npos);
}

}  // namespace
}  // namespace loopsim::sim
