// Conformance: for every programs/NAME.{js,mjs,cjs,ts}, every node of the test matrix (matrix.h: Debian's
// 18, the official 20, 22, 24 and 26) and every backend (epoll, kqueue, iocp), loopsim with seeds 0..9
// (22 and 24) or 0..2 (the other majors) must print exactly the stdout that real node printed and exit
// with its status: the files expected.h picks for that major and backend (NAME.stdout and NAME.status
// unless that major or backend has its own; several outputs where a backend leaves the order to the
// seed). A program whose `// requires: node >= X` line asks for a newer node is skipped on older ones.
// The expected files come from record.sh (see README.md). Standard error is not compared. The seeds run
// through the explorer's zygote runner: what `loopsim run` gives for each, with one node boot per case.
#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expected.h"
#include "matrix.h"
#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

#ifndef LOOPSIM_CONFORMANCE_DIR
#error "LOOPSIM_CONFORMANCE_DIR must name the programs directory"
#endif

namespace loopsim::testing {
namespace {

struct Case {
  TestNode node;
  std::string program;  // NAME
  std::string file;     // its entry file, NAME.js, .mjs, .cjs or .ts
  std::string backend;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.program << " under node " << c.node.major << " on " << c.backend;
}

std::vector<Case> ListCases() {
  std::vector<Case> cases;
  for (const TestNode& node : TestNodes()) {
    for (const Program& program : ListPrograms(LOOPSIM_CONFORMANCE_DIR)) {
      for (const std::string& backend : Backends()) cases.push_back({node, program.name, program.file, backend});
    }
  }
  return cases;
}

std::string TestName(const ::testing::TestParamInfo<Case>& info) {
  return GtestName("v" + std::to_string(info.param.node.major) + "_" + info.param.program + "_" + info.param.backend);
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, MatchesRealNodeStdoutAndStatus) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const Case& c = GetParam();
  const std::string script = dir + "/" + c.file;
  const absl::StatusOr<std::optional<NodeVersion>> minimum = MinimumVersion(script);
  ASSERT_TRUE(minimum.ok()) << minimum.status();
  if (minimum->has_value() && c.node.version < **minimum) {
    GTEST_SKIP() << c.program << " requires node >= " << (*minimum)->ToString() << "; this is node "
                 << c.node.version.ToString();
  }
  const std::vector<std::string> expected_outs = ExpectedOutputs(dir, c.program, c.node.major, c.backend);
  ASSERT_FALSE(expected_outs.empty())
      << "missing " << c.program << ".stdout: record it with tests/conformance/record.sh " << c.program;
  const absl::StatusOr<int> status = ExpectedStatus(dir, c.program, c.node.major);
  ASSERT_TRUE(status.ok()) << status.status();
  const int expected_status = *status;

  const int seeds = ConformanceSeeds(c.node.major);
  SeedsOf runs(c.node, script, c.backend, dir);
  std::vector<int> failed_seeds;
  std::vector<bool> seen(expected_outs.size(), false);
  for (int seed = 0; seed < seeds; ++seed) {
    const sim::SeedResult result = runs.Run(static_cast<uint64_t>(seed));
    if (!result.infra_error.empty() || result.timed_out || result.term_signal != 0) {
      ADD_FAILURE() << "seed " << seed << ": " << runs.Command(seed) << "\n"
                    << (result.infra_error.empty() ? "" : result.infra_error + "\n")
                    << (result.timed_out ? "timed out\n" : "")
                    << (result.term_signal != 0 ? "killed by signal " + std::to_string(result.term_signal) + "\n" : "")
                    << "stderr:\n" << result.err;
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
    std::string message = "seed " + std::to_string(seed) + ": " + runs.Command(seed) + "\n";
    if (!status_ok) {
      message += "exit status " + std::to_string(result.exit_code) + ", expected " +
                 std::to_string(expected_status) + "\n";
    }
    if (!out_ok) message += "stdout differs:\n" + LineDiff(expected_outs.front(), result.out);
    if (!result.err.empty()) message += "stderr (first 2000 bytes):\n" + result.err.substr(0, 2000);
    ADD_FAILURE() << message;
  }
  if (!failed_seeds.empty()) {
    std::string list;
    for (int seed : failed_seeds) list += (list.empty() ? "" : ",") + std::to_string(seed);
    ADD_FAILURE() << c.program << " under node " << c.node.major << " on " << c.backend << " failed for seeds "
                  << list << " of 0.." << seeds - 1;
  }
  // Where a backend allows several outputs, ten seeds must show each: a listed output nobody produces
  // is a claim the model does not back.
  for (size_t i = 0; i < expected_outs.size() && failed_seeds.empty() && seeds >= 10; ++i) {
    EXPECT_TRUE(seen[i] || expected_outs.size() == 1)
        << c.program << " on " << c.backend << ": allowed output " << i + 1 << " never appeared in seeds 0.."
        << seeds - 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, Conformance, ::testing::ValuesIn(ListCases()), TestName);

TEST(ConformanceSuite, TheMatrixHasEveryMajor) {
  std::vector<int> majors;
  for (const TestNode& node : TestNodes()) majors.push_back(node.major);
  EXPECT_EQ(majors, (std::vector<int>{18, 20, 22, 24, 26})) << "ci/setup provides the nodes; see LoopsimNodes.cmake";
  for (const TestNode& node : TestNodes()) EXPECT_EQ(node.version.major, node.major) << node.path;
}

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
