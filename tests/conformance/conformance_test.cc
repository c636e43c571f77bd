// Conformance: for every programs/NAME.{js,mjs,cjs,ts} and every backend (epoll, kqueue, iocp),
// `loopsim run --backend B --seed S` with S in 0..9 must print exactly the stdout the real node of the
// major loopsim runs printed and exit with its status: the files expected.h picks for that major and
// backend (NAME.stdout and NAME.status unless that major or backend has its own; several outputs where a
// backend leaves the order to the seed). A program whose `// requires: node >= X` line asks for a newer
// node than loopsim runs is skipped. The expected files come from record.sh (see README.md). Standard
// error is not compared.
#include <algorithm>
#include <cctype>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expected.h"
#include "subprocess.h"

#ifndef LOOPSIM_BIN
#error "LOOPSIM_BIN must name the loopsim binary"
#endif
#ifndef LOOPSIM_CONFORMANCE_DIR
#error "LOOPSIM_CONFORMANCE_DIR must name the programs directory"
#endif
#ifndef LOOPSIM_NODE_VERSION
#error "LOOPSIM_NODE_VERSION must give the version of the node loopsim runs"
#endif

namespace loopsim::testing {
namespace {

constexpr int kSeeds = 10;

// The node loopsim runs programs under, whose expectations apply.
NodeVersion RunningNode() {
  const std::optional<NodeVersion> version = ParseNodeVersion(LOOPSIM_NODE_VERSION);
  if (!version) {
    ADD_FAILURE() << "LOOPSIM_NODE_VERSION is not a version: " << LOOPSIM_NODE_VERSION;
    return {};
  }
  return *version;
}

struct Case {
  std::string program;  // NAME
  std::string file;     // its entry file, NAME.js, .mjs, .cjs or .ts
  std::string backend;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.program << " on " << c.backend; }

std::vector<Case> ListCases() {
  std::vector<Case> cases;
  for (const Program& program : ListPrograms(LOOPSIM_CONFORMANCE_DIR)) {
    for (const char* backend : {"epoll", "kqueue", "iocp"}) cases.push_back({program.name, program.file, backend});
  }
  return cases;
}

// gtest names allow only letters, digits and underscores.
std::string TestName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.program + "_" + info.param.backend;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, MatchesRealNodeStdoutAndStatusForSeeds0To9) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const std::string& name = GetParam().program;
  const std::string& backend = GetParam().backend;
  const std::string script = dir + "/" + GetParam().file;
  const NodeVersion node = RunningNode();
  const absl::StatusOr<std::optional<NodeVersion>> minimum = MinimumVersion(script);
  ASSERT_TRUE(minimum.ok()) << minimum.status();
  if (minimum->has_value() && node < **minimum) {
    GTEST_SKIP() << name << " requires node >= " << (*minimum)->ToString() << "; loopsim runs node " << node.ToString();
  }
  const std::vector<std::string> expected_outs = ExpectedOutputs(dir, name, node.major, backend);
  ASSERT_FALSE(expected_outs.empty())
      << "missing " << name << ".stdout: record it with tests/conformance/record.sh " << name;
  const absl::StatusOr<int> status = ExpectedStatus(dir, name, node.major);
  ASSERT_TRUE(status.ok()) << status.status();
  const int expected_status = *status;

  std::vector<int> failed_seeds;
  std::vector<bool> seen(expected_outs.size(), false);
  for (int seed = 0; seed < kSeeds; ++seed) {
    RunOptions options;
    options.argv = {LoopsimBinary(LOOPSIM_BIN), "run", "--backend", backend, "--seed", std::to_string(seed), script};
    options.cwd = dir;
    const RunResult result = RunProcess(options);
    if (!result.Exited()) {
      ADD_FAILURE() << "seed " << seed << ": " << result.Describe(options) << "\nstderr:\n" << result.err;
      failed_seeds.push_back(seed);
      break;  // A hang or crash is expensive to repeat; one seed to replay is enough.
    }
    const auto match = std::find(expected_outs.begin(), expected_outs.end(), result.out);
    if (match != expected_outs.end()) seen[static_cast<size_t>(match - expected_outs.begin())] = true;
    const bool out_ok = match != expected_outs.end();
    const bool status_ok = result.exit_code == expected_status;
    if (out_ok && status_ok) continue;
    failed_seeds.push_back(seed);
    if (failed_seeds.size() > 1) continue;  // Show the diff of the first failing seed only.
    std::string message = "seed " + std::to_string(seed) + ": " + ShellQuote(options.argv) + "\n";
    if (!status_ok) {
      message += "exit status " + std::to_string(result.exit_code) + ", expected " +
                 std::to_string(expected_status) + "\n";
    }
    if (!out_ok) message += "stdout differs:\n" + LineDiff(expected_outs.front(), result.out);
    if (!result.err.empty()) message += "stderr (first 2000 bytes):\n" + result.err.substr(0, 2000);
    ADD_FAILURE() << message;
  }
  if (!failed_seeds.empty()) {
    std::string seeds;
    for (int seed : failed_seeds) seeds += (seeds.empty() ? "" : ",") + std::to_string(seed);
    ADD_FAILURE() << name << " on " << backend << " failed for seeds " << seeds << " of 0.." << kSeeds - 1;
  }
  // Where a backend allows several outputs, the seeds must show each: a listed output nobody produces
  // is a claim the model does not back.
  for (size_t i = 0; i < expected_outs.size() && failed_seeds.empty(); ++i) {
    EXPECT_TRUE(seen[i] || expected_outs.size() == 1)
        << name << " on " << backend << ": allowed output " << i + 1 << " never appeared in seeds 0.." << kSeeds - 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, Conformance, ::testing::ValuesIn(ListCases()), TestName);

TEST(ConformanceSuite, HasAtLeast100ProgramsEachWithExpectedFiles) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const std::vector<Program> programs = ListPrograms(dir);
  EXPECT_GE(programs.size(), 100u) << "programs in " << dir;
  EXPECT_TRUE(DuplicateProgramNames(dir).empty()) << "a NAME with two entry files: " << DuplicateProgramNames(dir).front();
  for (const Program& program : programs) {
    std::string ignored;
    EXPECT_TRUE(ReadFile(dir + "/" + program.name + ".stdout", &ignored)) << program.name;
    EXPECT_TRUE(ReadFile(dir + "/" + program.name + ".status", &ignored)) << program.name;
  }
}

// A per-major file says real node M behaves differently; the program's leading comment must say how and
// why, naming the file (e.g. "v26.stdout"). A major below the program's requirement cannot have one.
TEST(ConformanceSuite, EveryPerMajorFileIsArguedInItsProgramsComment) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  for (const Program& program : ListPrograms(dir)) {
    const absl::StatusOr<std::vector<std::string>> comment = LeadingComment(dir + "/" + program.file);
    ASSERT_TRUE(comment.ok()) << comment.status();
    std::string text;
    for (const std::string& line : *comment) text += line + "\n";
    const absl::StatusOr<std::optional<NodeVersion>> minimum = MinimumVersion(dir + "/" + program.file);
    ASSERT_TRUE(minimum.ok()) << minimum.status();
    for (int major : PerMajorFileMajors(dir, program.name)) {
      const std::string token = "v" + std::to_string(major) + ".";
      EXPECT_NE(text.find(token), std::string::npos)
          << program.file << " has per-major files for node " << major << " but its leading comment never names "
          << token << "stdout/status and why that node differs";
      EXPECT_FALSE(minimum->has_value() && major < (*minimum)->major)
          << program.file << " requires node >= " << (*minimum)->ToString() << " but has files for node " << major;
    }
  }
}

// record.sh decides under which majors to record a program with nodes.sh's reading of the requires
// line; the harness decides what to skip with MinimumVersion. They must read every program alike.
TEST(ConformanceSuite, RecordShAndHarnessReadEveryRequiresLineAlike) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const std::string nodes_sh = dir + "/../nodes.sh";
  for (const Program& program : ListPrograms(dir)) {
    RunOptions options;
    options.argv = {"bash", "-c", "source \"$1\" && requirement \"$2\"", "bash", nodes_sh, dir + "/" + program.file};
    const RunResult result = RunProcess(options);
    ASSERT_TRUE(result.Exited() && result.exit_code == 0) << result.Describe(options) << "\n" << result.err;
    std::string shell = result.out;
    if (!shell.empty() && shell.back() == '\n') shell.pop_back();
    const absl::StatusOr<std::optional<NodeVersion>> minimum = MinimumVersion(dir + "/" + program.file);
    ASSERT_TRUE(minimum.ok()) << minimum.status();
    const std::optional<NodeVersion> from_shell = shell.empty() ? std::nullopt : ParseNodeVersion(shell);
    EXPECT_EQ(from_shell.has_value(), minimum->has_value()) << program.file << ": nodes.sh read \"" << shell << "\"";
    if (from_shell && minimum->has_value()) {
      EXPECT_EQ(from_shell->ToString(), (*minimum)->ToString()) << program.file;
    }
  }
}

}  // namespace
}  // namespace loopsim::testing
