// The program's stdin (sim/stdin.h): under every node of the matrix, `echo ... | loopsim run` and
// `loopsim run --stdin FILE` print what that real node prints when a program copies its stdin to stdout,
// as a stream (process.stdin.pipe) and at once (fs.readFileSync(0)); the run record names the stdin and
// its hash; and explore reads piped stdin once and gives every seed the same bytes, with replay commands
// that find them again.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e.h"
#include "matrix.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

// Enough lines that a stream reads them in more than one chunk (fs.ReadStream reads 64 KiB at a time).
std::string Input() {
  std::string text;
  for (int i = 0; i < 12000; ++i) text += "line " + std::to_string(i) + " of the program's stdin\n";
  return text;
}

const char* const kPrograms[][2] = {
    {"pipe.js", "process.stdin.pipe(process.stdout);\n"},
    {"read_file_sync.js", "process.stdout.write(require('fs').readFileSync(0));\n"},
};

class Stdin : public TempDirTest<::testing::TestWithParam<TestNode>> {
 protected:
  void SetUpInDir() override {
    ASSERT_TRUE(WriteFile(dir_ + "/input.txt", Input()));
    for (const auto& [name, text] : kPrograms) ASSERT_TRUE(WriteFile(dir_ + "/" + name, text));
  }
  // Runs a shell command line in the test's directory.
  RunResult Shell(const std::string& line) {
    options_ = RunOptions();
    options_.argv = {"/bin/sh", "-c", line};
    options_.cwd = dir_;
    RunResult result = RunProcess(options_);
    EXPECT_TRUE(result.Exited()) << result.Describe(options_) << "\n" << result.err;
    return result;
  }
  std::string Loopsim() const { return ShellQuote({LoopsimBinary(LOOPSIM_BIN), "run", "--node", GetParam().path}); }
  std::string Node() const { return ShellQuote({GetParam().path}); }
  // Runs the shell lines `real` (node running `program`) and `sim` (loopsim running it): node exits 0,
  // and loopsim exits 0 having printed what node printed (which goes to *real_out, when given).
  void ExpectWhatNodePrints(const std::string& program, const std::string& real, const std::string& sim,
                            std::string* real_out = nullptr) {
    const RunResult node = Shell(real);
    ASSERT_EQ(node.exit_code, 0) << node.err;
    const RunResult loopsim = Shell(sim);
    EXPECT_EQ(loopsim.exit_code, 0) << loopsim.err;
    EXPECT_TRUE(loopsim.out == node.out) << program << "\n" << LineDiff(node.out, loopsim.out);
    if (real_out != nullptr) *real_out = node.out;
  }

  RunOptions options_;
};

TEST_P(Stdin, PipedStdinReadsAsUnderRealNode) {
  for (const auto& [name, text] : kPrograms) {
    std::string real_out;
    ASSERT_NO_FATAL_FAILURE(ExpectWhatNodePrints(name, "cat input.txt | " + Node() + " " + name,
                                                 "cat input.txt | " + Loopsim() + " " + name, &real_out));
    ASSERT_EQ(real_out, Input()) << name;
  }
}

TEST_P(Stdin, StdinFileReadsAsUnderRealNodeWithRedirectedStdin) {
  for (const auto& [name, text] : kPrograms) {
    ASSERT_NO_FATAL_FAILURE(ExpectWhatNodePrints(name, Node() + " " + name + " < input.txt",
                                                 Loopsim() + " --stdin input.txt " + name + " </dev/null"));
  }
}

TEST_P(Stdin, StdinThatIsNeitherPipeNorFileReadsNothing) {
  for (const auto& [name, text] : kPrograms) {
    const RunResult sim = Shell(Loopsim() + " " + name + " </dev/null");
    EXPECT_EQ(sim.exit_code, 0) << sim.err;
    EXPECT_EQ(sim.out, "") << name;
  }
}

TEST_P(Stdin, RunRecordNamesTheStdinAndItsHash) {
  Shell(Loopsim() + " --stdin input.txt --record given.json pipe.js >/dev/null");
  Shell("cat input.txt | " + Loopsim() + " --record piped.json pipe.js >/dev/null");
  const nlohmann::json given = nlohmann::json::parse(Slurp(dir_ + "/given.json"), nullptr, false);
  const nlohmann::json piped = nlohmann::json::parse(Slurp(dir_ + "/piped.json"), nullptr, false);
  ASSERT_TRUE(given.contains("stdin") && piped.contains("stdin")) << given << "\n" << piped;
  EXPECT_EQ(given["stdin"]["file"], "input.txt");
  EXPECT_EQ(piped["stdin"]["file"], "-");
  EXPECT_EQ(given["stdin"]["hash"], piped["stdin"]["hash"]);
  EXPECT_EQ(given["stdin"]["hash"].get<std::string>().size(), 16u);
}

// The program reads its stdin as a stream, on a timer whose delay the seed decides, and fails unless it
// read exactly the expected bytes.
constexpr char kExpectsAbc[] =
    "let got = '';\n"
    "process.stdin.setEncoding('utf8');\n"
    "setTimeout(() => {\n"
    "  process.stdin.on('data', (c) => { got += c; });\n"
    "  process.stdin.on('end', () => {\n"
    "    if (got !== 'abc\\n') { console.error('stdin was ' + JSON.stringify(got)); process.exit(3); }\n"
    "  });\n"
    "}, Math.floor(Math.random() * 3));\n";

TEST_P(Stdin, ExploreGivesEverySeedThePipedBytes) {
  ASSERT_TRUE(WriteFile(dir_ + "/expects_abc.js", kExpectsAbc));
  const std::string explore =
      ShellQuote({LoopsimBinary(LOOPSIM_BIN), "explore", "--node", GetParam().path, "--seeds", "12", "--jobs", "2"});
  const RunResult same = Shell("printf 'abc\\n' | " + explore + " expects_abc.js");
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("12 passed"), std::string::npos) << same.out;

  const RunResult other = Shell("printf 'xyz\\n' | " + explore + " expects_abc.js");
  EXPECT_EQ(other.exit_code, 1) << other.out << other.err;
  EXPECT_NE(other.out.find("12 of 12 seeds"), std::string::npos) << other.out;
  // The replay command names the saved bytes, and gives the failure again with nothing on stdin.
  const size_t at = other.out.find("replay: ");
  ASSERT_NE(at, std::string::npos) << other.out;
  const std::string replay = other.out.substr(at + 8, other.out.find('\n', at) - at - 8);
  EXPECT_NE(replay.find("--stdin loopsim-stdin-"), std::string::npos) << replay;
  const RunResult again = Shell(replay + " </dev/null");
  EXPECT_EQ(again.exit_code, 3) << again.err;
  EXPECT_NE(again.err.find("stdin was \"xyz\\n\""), std::string::npos) << again.err;
}

LOOPSIM_TEST_ON_EVERY_NODE(Stdin);

}  // namespace
}  // namespace loopsim::testing
