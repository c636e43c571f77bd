// The command-line contract of `loopsim run` (DESIGN.md "Command line", issue 2): node-like messages and
// exit codes for bad scripts, 2 with a usage message for loopsim's own usage errors, and the program's
// own exit code, stdout, stderr and argv otherwise.
#include <string>

#include <gtest/gtest.h>

#include "e2e.h"
#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

class Cli : public TempDirTest<> {
 protected:
  // Writes a program into the test's directory and returns its absolute path.
  std::string Program(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFile(path, text));
    return path;
  }
  RunResult Run(const std::vector<std::string>& args) {
    options_ = LoopsimCommand(args);
    RunResult result = RunProcess(options_);
    EXPECT_TRUE(result.Exited()) << result.Describe(options_) << "\nstderr:\n" << result.err;
    return result;
  }
  std::string What(const RunResult& result) const {
    return result.Describe(options_) + "\nstdout:\n" + result.out + "\nstderr:\n" + result.err;
  }
  RunOptions options_;
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool ContainsUsage(const std::string& text) {
  return Contains(text, "usage") || Contains(text, "Usage");
}

TEST_F(Cli, MissingScriptPrintsCannotFindModuleAndExits1) {
  const std::string missing = dir_ + "/no_such_script.js";
  const RunResult result = Run({"run", "--seed", "0", missing});
  EXPECT_EQ(result.exit_code, 1) << What(result);
  EXPECT_TRUE(Contains(result.err, "Error: Cannot find module '" + missing + "'")) << What(result);
  EXPECT_EQ(result.out, "");
}

TEST_F(Cli, SyntaxErrorPrintsFileLineAndSyntaxErrorAndExits1) {
  const std::string script = Program("broken.js", "const a = 1;\nconsole.log(a);\nlet x = ;\n");
  const RunResult result = Run({"run", "--seed", "0", script});
  EXPECT_EQ(result.exit_code, 1) << What(result);
  EXPECT_TRUE(Contains(result.err, script + ":3")) << What(result);
  EXPECT_TRUE(Contains(result.err, "SyntaxError")) << What(result);
  EXPECT_EQ(result.out, "") << "nothing of the script may run";
}

TEST_F(Cli, UnknownOptionExits2WithUsage) {
  const std::string script = Program("fine.js", "console.log('ran');\n");
  const RunResult result = Run({"run", "--no-such-option", script});
  EXPECT_EQ(result.exit_code, 2) << What(result);
  EXPECT_TRUE(ContainsUsage(result.err)) << What(result);
  EXPECT_FALSE(Contains(result.out, "ran")) << What(result);
}

TEST_F(Cli, UsageErrorIsOneLineThenTheCommandsUsage) {
  const RunResult result = Run({"explore", "--seeds", "ten", Program("fine.js", "console.log('ran');\n")});
  EXPECT_EQ(result.exit_code, 2) << What(result);
  EXPECT_EQ(result.err.substr(0, result.err.find('\n')),
            "loopsim: --seeds takes a whole number of at least 1, not 'ten'")
      << What(result);
  EXPECT_TRUE(Contains(result.err, "\nusage: loopsim explore [options] SCRIPT [ARGS...]\n")) << What(result);
}

TEST_F(Cli, HelpListsTheCommandsOptionsOnStdoutAndExits0) {
  const RunResult explore = Run({"explore", "--help"});
  EXPECT_EQ(explore.exit_code, 0) << What(explore);
  EXPECT_TRUE(Contains(explore.out, "usage: loopsim explore [options] SCRIPT [ARGS...]")) << What(explore);
  EXPECT_TRUE(Contains(explore.out, "\n  --seeds N ")) << What(explore);
  EXPECT_FALSE(Contains(explore.out, "--test-run-arg")) << What(explore);
  const RunResult overview = Run({"--help"});
  EXPECT_EQ(overview.exit_code, 0) << What(overview);
  for (const char* command : {"run", "replay", "explore", "shrink", "merge"}) {
    EXPECT_TRUE(Contains(overview.out, std::string("\n  ") + command + " ")) << What(overview);
  }
}

TEST_F(Cli, UnknownCommandNoArgumentsNoScriptAndBadSeedEachExit2WithUsage) {
  const std::string script = Program("fine.js", "console.log('ran');\n");
  const std::vector<std::vector<std::string>> bad = {
      {"frobnicate", script}, {}, {"run"}, {"run", "--seed"}, {"run", "--seed", "not-a-number", script},
      {"run", "--seed", "-1", script},
  };
  for (const auto& args : bad) {
    const RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, 2) << What(result);
    EXPECT_FALSE(result.err.empty()) << "no message: " << What(result);
    EXPECT_FALSE(Contains(result.out, "ran")) << What(result);
  }
}

TEST_F(Cli, ProcessExit5ExitsWith5) {
  const std::string script = Program("exit5.js", "console.log('before');\nprocess.exit(5);\nconsole.log('after');\n");
  const RunResult result = Run({"run", "--seed", "0", script});
  EXPECT_EQ(result.exit_code, 5) << What(result);
  EXPECT_EQ(result.out, "before\n");
}

TEST_F(Cli, ProcessExitCodeBecomesTheExitStatus) {
  const std::string script = Program("exitcode.js", "setTimeout(() => { process.exitCode = 3; }, 10);\n");
  const RunResult result = Run({"run", "--seed", "1", script});
  EXPECT_EQ(result.exit_code, 3) << What(result);
}

TEST_F(Cli, UncaughtThrowExits1WithTheErrorOnStderr) {
  const std::string script =
      Program("throws.js", "console.log('start');\nsetTimeout(() => { throw new Error('kaboom 42'); }, 5);\n");
  const RunResult result = Run({"run", "--seed", "0", script});
  EXPECT_EQ(result.exit_code, 1) << What(result);
  EXPECT_TRUE(Contains(result.err, "Error: kaboom 42")) << What(result);
  EXPECT_EQ(result.out, "start\n");
}

TEST_F(Cli, UnhandledRejectionExits1WithTheErrorOnStderr) {
  const std::string script = Program("rejects.js", "Promise.reject(new Error('rejected 17'));\n");
  const RunResult result = Run({"run", "--seed", "0", script});
  EXPECT_EQ(result.exit_code, 1) << What(result);
  EXPECT_TRUE(Contains(result.err, "rejected 17")) << What(result);
}

TEST_F(Cli, ArgumentsAfterTheScriptBelongToTheProgramEvenIfTheyLookLikeOptions) {
  const std::string script = Program("argv.js", "console.log(JSON.stringify(process.argv.slice(2)));\n");
  const RunResult result = Run({"run", "--seed", "4", script, "a b", "--seed", "9", "--trace"});
  EXPECT_EQ(result.exit_code, 0) << What(result);
  EXPECT_EQ(result.out, "[\"a b\",\"--seed\",\"9\",\"--trace\"]\n") << What(result);
}

TEST_F(Cli, StdoutAndStderrStaySeparate) {
  const std::string script = Program("streams.js", "console.log('to stdout');\nconsole.error('to stderr');\n");
  const RunResult result = Run({"run", script});
  EXPECT_EQ(result.exit_code, 0) << What(result);
  EXPECT_EQ(result.out, "to stdout\n");
  EXPECT_TRUE(Contains(result.err, "to stderr")) << What(result);
  EXPECT_FALSE(Contains(result.out, "to stderr"));
}

TEST_F(Cli, DefaultSeedIsZero) {
  const std::string script = E2eProgram("timeout_vs_immediate.js");
  const RunResult implicit_seed = Run({"run", script});
  const RunResult seed_zero = Run({"run", "--seed", "0", script});
  EXPECT_EQ(implicit_seed.exit_code, 0) << What(implicit_seed);
  EXPECT_EQ(implicit_seed.out, seed_zero.out);
}

// File watching runs libuv's own internal timer and stat requests under fs.watchFile, and inotify reads
// under fs.watch: the loop's invariants (run --check) hold for them on every backend.
TEST_F(Cli, FileWatchingKeepsTheLoopInvariantsOnEveryBackend) {
  for (const std::string& backend : Backends()) {
    for (int seed = 0; seed < 3; ++seed) {
      const RunResult result =
          Run({"run", "--check", "--backend", backend, "--seed", std::to_string(seed), E2eProgram("watches_files.js")});
      EXPECT_EQ(result.exit_code, 0) << What(result);
      EXPECT_EQ(result.out, "saw events\n") << What(result);
    }
  }
}

}  // namespace
}  // namespace loopsim::testing
