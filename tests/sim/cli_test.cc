// The command line of explore, replay, shrink and merge (pure parsing: no process is started).
#include "sim/cli.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace loopsim::sim {
namespace {

ParseResult Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "loopsim");
  return ParseCommandLine(args);
}

TEST(ExploreCli, ParsesEveryOptionAndKeepsTheProgramsArguments) {
  const ParseResult r = Parse({"explore", "--seeds", "50", "--seed-start", "7", "--jobs", "3", "--shard", "2/4",
                               "--strategy", "pct", "--pct-depth", "2", "--json", "o.json", "--junit", "o.xml",
                               "--max-failures", "5", "--group-by", "kind", "--timeout-ms", "900",
                               "--check-determinism", "--max-virtual-ms", "1000", "--max-memory-mb", "512", "app.js",
                               "--seeds", "x"});
  ASSERT_TRUE(r.explore) << r.error;
  const ExploreCommand& e = *r.explore;
  EXPECT_EQ(e.seeds, 50u);
  EXPECT_EQ(e.seed_start, 7u);
  EXPECT_EQ(e.jobs, 3u);
  EXPECT_EQ(e.shard_index, 2u);
  EXPECT_EQ(e.shard_count, 4u);
  EXPECT_EQ(e.strategy, "pct");
  EXPECT_EQ(e.flags.pct_depth, 2u);
  EXPECT_FALSE(e.pct_horizon_given);
  EXPECT_EQ(e.json_path, "o.json");
  EXPECT_EQ(e.junit_path, "o.xml");
  EXPECT_EQ(e.max_failures, 5u);
  EXPECT_EQ(e.group_by, "kind");
  EXPECT_EQ(e.timeout_ms, 900u);
  EXPECT_TRUE(e.check_determinism);
  EXPECT_EQ(e.flags.max_virtual_ms, 1000u);
  EXPECT_EQ(e.flags.max_memory_mb, 512u);
  EXPECT_EQ(e.script, "app.js");
  EXPECT_EQ(e.args, (std::vector<std::string>{"--seeds", "x"}));
}

TEST(ExploreCli, BadValuesAreUsageErrors) {
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"explore", "app.js", "--seeds"},  // fine: --seeds belongs to the program
       }) {
    EXPECT_TRUE(Parse(bad).explore) << Parse(bad).error;
  }
  EXPECT_EQ(Parse({"explore", "a.js"}).explore->group_by, "shape");
  // An option with a value it does not take, before the script.
  const std::vector<std::pair<std::string, std::string>> bad_values = {
      {"--seeds", "0"},         {"--seeds", "-3"},     {"--seeds", "ten"},    {"--jobs", "0"},
      {"--shard", "3/2"},       {"--shard", "0/2"},    {"--shard", "1-2"},    {"--strategy", "dfs"},
      {"--backend", "solaris"}, {"--faults", "chaos"}, {"--timeout-ms", "0"}, {"--group-by", "exact"}};
  std::vector<std::vector<std::string>> bad_lines = {
      {"explore"}, {"explore", "--frobnicate", "a.js"}, {"explore", "--json"}};
  for (const auto& [option, value] : bad_values) bad_lines.push_back({"explore", option, value, "a.js"});
  for (const std::vector<std::string>& bad : bad_lines) {
    const ParseResult r = Parse(bad);
    EXPECT_FALSE(r.explore) << ::testing::PrintToString(bad);
    EXPECT_FALSE(r.error.empty()) << ::testing::PrintToString(bad);
  }
}

TEST(ExploreCli, AcceptsAllBackendsAndExhaustive) {
  const ParseResult r =
      Parse({"explore", "--backend", "all", "--strategy", "exhaustive", "--max-deviations", "2", "a.js"});
  ASSERT_TRUE(r.explore) << r.error;
  EXPECT_EQ(r.explore->backend, "all");
  EXPECT_EQ(r.explore->strategy, "exhaustive");
  EXPECT_EQ(r.explore->max_deviations, 2u);
  EXPECT_FALSE(Parse({"run", "--backend", "all", "a.js"}).run);
  EXPECT_FALSE(Parse({"run", "--strategy", "exhaustive", "a.js"}).run);
}

TEST(ReplayCli, NeedsASeedOrASchedule) {
  EXPECT_FALSE(Parse({"replay", "a.js"}).run);
  EXPECT_TRUE(Parse({"replay", "--seed", "4", "a.js"}).run);
  EXPECT_TRUE(Parse({"replay", "--schedule", "s.json", "--trace", "t.jsonl", "a.js"}).run);
  EXPECT_FALSE(Parse({"replay", "--seed", "4", "--schedule", "s.json", "a.js"}).run);
}

TEST(RunCli, PctFlagsRoundTripThroughToArgs) {
  const ParseResult r = Parse({"run", "--strategy", "pct", "--pct-depth", "4", "--pct-horizon", "90", "--seed", "3",
                               "--max-iterations", "100", "--check", "a.js"});
  ASSERT_TRUE(r.run) << r.error;
  std::vector<std::string> again = {"run"};
  for (const std::string& a : r.run->flags.ToArgs()) again.push_back(a);
  again.push_back("a.js");
  const ParseResult back = Parse(again);
  ASSERT_TRUE(back.run) << back.error;
  EXPECT_EQ(back.run->flags.ToArgs(), r.run->flags.ToArgs());
  EXPECT_EQ(back.run->flags.pct_horizon, 90u);
  EXPECT_TRUE(back.run->flags.check);
  EXPECT_TRUE(RunFlags().ToArgs().empty()) << "defaults are left out of printed commands";
}

TEST(RunCli, EnvironmentOptionsResolveToValuesThatReplayCommandsCarry) {
  ASSERT_EQ(::setenv("LOOPSIM_CLI_TEST_PASSED", "from the shell", 1), 0);
  const ParseResult r = Parse({"run", "--env", "A=1", "--pass-env", "LOOPSIM_CLI_TEST_PASSED", "--env=A=2",
                               "--pass-env", "LOOPSIM_CLI_TEST_UNSET", "--env", "B=x=y", "a.js"});
  ASSERT_TRUE(r.run) << r.error;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"A", "2"}, {"LOOPSIM_CLI_TEST_PASSED", "from the shell"}, {"B", "x=y"}};
  EXPECT_EQ(r.run->flags.env, expected);
  std::vector<std::string> again = {"run"};
  for (const std::string& a : r.run->flags.ToArgs()) again.push_back(a);
  again.push_back("a.js");
  ASSERT_EQ(::unsetenv("LOOPSIM_CLI_TEST_PASSED"), 0);
  const ParseResult back = Parse(again);
  ASSERT_TRUE(back.run) << back.error;
  EXPECT_EQ(back.run->flags.env, expected);
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"run", "--env", "NOVALUE", "a.js"},
           {"run", "--env", "=x", "a.js"},
           {"run", "--env-file", "/nonexistent/.env", "a.js"},
           {"run", "--pass-env", "", "a.js"}}) {
    const ParseResult b = Parse(bad);
    EXPECT_FALSE(b.run) << bad[2];
    EXPECT_FALSE(b.error.empty()) << bad[2];
  }
}

TEST(ShrinkCli, NeedsExactlyOneOfSeedAndSchedule) {
  const ParseResult r = Parse({"shrink", "--seed", "9", "-o", "out.json", "--max-runs", "50", "a.js", "x"});
  ASSERT_TRUE(r.shrink) << r.error;
  EXPECT_EQ(r.shrink->seed, 9u);
  EXPECT_EQ(r.shrink->output_path, "out.json");
  EXPECT_EQ(r.shrink->max_runs, 50u);
  EXPECT_EQ(r.shrink->args, (std::vector<std::string>{"x"}));
  EXPECT_FALSE(Parse({"shrink", "a.js"}).shrink);
  EXPECT_FALSE(Parse({"shrink", "--seed", "1", "--schedule", "s.json", "a.js"}).shrink);
}

TEST(MergeCli, TakesSummariesAndOutputs) {
  const ParseResult r = Parse({"merge", "a.json", "--json", "all.json", "b.json", "--junit", "all.xml"});
  ASSERT_TRUE(r.merge) << r.error;
  EXPECT_EQ(r.merge->inputs, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(r.merge->json_path, "all.json");
  EXPECT_EQ(r.merge->junit_path, "all.xml");
  EXPECT_FALSE(Parse({"merge"}).merge);
  EXPECT_FALSE(Parse({"merge", "a.json", "--json"}).merge);
}

TEST(Cli, HelpAfterAnyCommandAsksForThatCommandsHelp) {
  for (const char* command : {"run", "replay", "explore", "shrink", "merge"}) {
    for (const char* flag : {"--help", "-h"}) {
      const ParseResult r = Parse({command, flag});
      ASSERT_TRUE(r.help) << command << " " << flag << ": " << r.error;
      EXPECT_EQ(r.help_text, HelpText(command));
      EXPECT_EQ(r.help_text.rfind(std::string("usage: loopsim ") + command + " [options] ", 0), 0u) << r.help_text;
    }
  }
  EXPECT_EQ(Parse({"run", "--seed=1", "--check", "--help", "a.js"}).help_text, HelpText("run"));
  EXPECT_EQ(Parse({"--help"}).help_text, HelpText(""));
  EXPECT_EQ(Parse({"help"}).help_text, HelpText(""));
  EXPECT_EQ(Parse({"help", "shrink"}).help_text, HelpText("shrink"));
  EXPECT_TRUE(Parse({"--version"}).version);
}

TEST(Cli, OptionsStopAtTheScriptAndTheRestIsTheProgramsEvenAfterHelp) {
  ParseResult r = Parse({"run", "--seed", "3", "app.js", "-x", "--seed", "4", "--help"});
  ASSERT_TRUE(r.run) << r.error;
  EXPECT_EQ(r.run->seed, 3u);
  EXPECT_EQ(r.run->script, "app.js");
  EXPECT_EQ(r.run->args, (std::vector<std::string>{"-x", "--seed", "4", "--help"}));
  r = Parse({"run", "app.js", "--seed", "3"});
  ASSERT_TRUE(r.run) << r.error;
  EXPECT_FALSE(r.run->seed_given);
  EXPECT_EQ(r.run->args, (std::vector<std::string>{"--seed", "3"}));
  // A script may carry a command's name; after `--` it may even look like an option.
  r = Parse({"run", "explore", "merge"});
  ASSERT_TRUE(r.run) << r.error;
  EXPECT_EQ(r.run->script, "explore");
  EXPECT_EQ(r.run->args, (std::vector<std::string>{"merge"}));
  r = Parse({"explore", "--seeds", "2", "--", "-odd.js", "--", "x"});
  ASSERT_TRUE(r.explore) << r.error;
  EXPECT_EQ(r.explore->seeds, 2u);
  EXPECT_EQ(r.explore->script, "-odd.js");
  EXPECT_EQ(r.explore->args, (std::vector<std::string>{"--", "x"}));
}

TEST(Cli, OptEqualsValueIsOptValueAndTheLastOfARepeatedOptionWins) {
  const ParseResult r = Parse({"run", "--seed=7", "--node-option=--enable-source-maps", "--node-option",
                               "--conditions=dev", "--faults", "light", "--faults=none", "--trace=t.jsonl", "a.js"});
  ASSERT_TRUE(r.run) << r.error;
  EXPECT_EQ(r.run->seed, 7u);
  EXPECT_EQ(r.run->flags.node_options, (std::vector<std::string>{"--enable-source-maps", "--conditions=dev"}));
  EXPECT_EQ(r.run->flags.faults, "none");
  EXPECT_EQ(r.run->trace_path, "t.jsonl");
  const ParseResult e = Parse({"explore", "--pct-horizon=5", "--strategy", "pct", "a.js"});
  ASSERT_TRUE(e.explore) << e.error;
  EXPECT_TRUE(e.explore->pct_horizon_given);
  EXPECT_EQ(e.explore->flags.pct_horizon, 5u);
}

TEST(Cli, ACommandLineLeavesNothingForTheNext) {
  ASSERT_TRUE(Parse({"run", "--seed", "5", "--env", "A=1", "--check", "--test-mutation", "x", "a.js", "y"}).run);
  EXPECT_FALSE(Parse({"run", "--seed", "-1", "a.js"}).run);
  EXPECT_TRUE(Parse({"run", "--help", "a.js"}).help);
  ParseResult r = Parse({"run", "b.js"});
  ASSERT_TRUE(r.run) << r.error;
  EXPECT_FALSE(r.run->seed_given);
  EXPECT_TRUE(r.run->flags.env.empty());
  EXPECT_FALSE(r.run->flags.check);
  EXPECT_TRUE(r.run->test_mutations.empty());
  EXPECT_TRUE(r.run->args.empty());
  ASSERT_TRUE(Parse({"explore", "--pct-horizon", "5", "a.js"}).explore);
  r = Parse({"explore", "a.js"});
  ASSERT_TRUE(r.explore) << r.error;
  EXPECT_FALSE(r.explore->pct_horizon_given);
  EXPECT_FALSE(Parse({"--version"}).help);
  EXPECT_FALSE(Parse({"run", "a.js"}).version);
}

TEST(Cli, UsageErrorsAreOneClearLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"run", "--frobnicate", "a.js"}, "unknown option '--frobnicate'"},
      {{"run", "--frobnicate=3", "a.js"}, "unknown option '--frobnicate'"},
      {{"--frobnicate"}, "unknown option '--frobnicate'"},
      {{"frobnicate", "a.js"}, "unknown command 'frobnicate'"},
      {{}, "missing command"},
      {{"run"}, "missing SCRIPT"},
      {{"run", "--seed"}, "option --seed needs a value"},
      {{"explore", "--json"}, "option --json needs a value"},
      {{"run", "--seed", "-1", "a.js"}, "--seed takes a whole number from 0 to 2^64-1, not '-1'"},
      {{"explore", "--seeds", "ten", "a.js"}, "--seeds takes a whole number of at least 1, not 'ten'"},
      {{"explore", "--jobs", "0", "a.js"}, "--jobs takes a whole number from 1 to 1024, not '0'"},
      {{"run", "--pct-depth", "1001", "a.js"}, "--pct-depth takes a whole number from 0 to 1000, not '1001'"},
      {{"explore", "--group-by", "exact", "a.js"}, "--group-by takes shape, message or kind, not 'exact'"},
      {{"run", "--strategy", "exhaustive", "a.js"}, "--strategy takes random or pct, not 'exhaustive'"},
      {{"run", "--backend", "all", "a.js"}, "--backend all is not simulated (use epoll, kqueue or iocp)"},
      {{"merge", "a.json", "--frobnicate"}, "unknown option '--frobnicate'"},
      {{"run", "--json=out.json", "a.js"}, "unknown option '--json'"},
  };
  for (const auto& [args, message] : cases) {
    const ParseResult r = Parse(args);
    EXPECT_EQ(r.error, message) << (args.empty() ? "" : args[0]);
    EXPECT_EQ(r.error.find('\n'), std::string::npos);
    EXPECT_EQ(r.usage.rfind("usage: loopsim", 0), 0u) << r.usage;
  }
}

TEST(Cli, ShellWordsQuoteWhatTheShellWouldSplit) {
  EXPECT_EQ(ShellWord("scenarios/a-b_c.js"), "scenarios/a-b_c.js");
  EXPECT_EQ(ShellWord("a b"), "'a b'");
  EXPECT_EQ(ShellWord("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellWord(""), "''");
  EXPECT_EQ(ShellLine({"loopsim", "replay", "--seed", "3", "my app.js"}), "loopsim replay --seed 3 'my app.js'");
}

}  // namespace
}  // namespace loopsim::sim
