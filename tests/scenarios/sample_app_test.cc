// End-to-end test of the bug-free sample application (scenarios/sample-app: an HTTP JSON key-value
// store on files, driven by a keep-alive client in the same process): under every node of the test
// matrix (tests/conformance/matrix.h), every backend and a few seeds it must exit as that real node does
// and print exactly its output, and it must pass under socket faults that libuv and Node's APIs hide
// from a program.
//
// The expected output (scenarios/sample-app/main.stdout and main.status; every major prints the same)
// was recorded by the conformance suite's recorder, which runs the program 20 times under each major
// (every second run with random stalls of up to 25 ms) and records only if every run agrees:
//   PROGRAMS_DIR=scenarios/sample-app tests/conformance/record.sh main
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "expected.h"
#include "matrix.h"
#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/subprocess.h"

namespace loopsim::testing {
namespace {

using nlohmann::json;

const std::string kApp = std::string(LOOPSIM_SCENARIOS) + "/sample-app";
constexpr int kSeeds = 5;

class SampleAppTest : public TempDirTest<::testing::TestWithParam<std::string>> {
 protected:
  RunResult Loopsim(std::vector<std::string> args, RunOptions* o) {
    args.insert(args.begin(), LoopsimBinary(LOOPSIM_BIN));
    o->argv = args;
    o->cwd = dir_;
    o->wall_limit = std::chrono::milliseconds(120'000);
    RunResult r = RunProcess(*o);
    EXPECT_TRUE(r.Exited()) << r.Describe(*o) << "\nstderr:\n" << r.err;
    return r;
  }
};

struct Case {
  TestNode node;
  std::string backend;
};
void PrintTo(const Case& c, std::ostream* os) { *os << "node " << c.node.major << " on " << c.backend; }

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (const TestNode& node : TestNodes()) {
    for (const std::string& backend : Backends()) cases.push_back({node, backend});
  }
  return cases;
}

class SampleAppMatrix : public ::testing::TestWithParam<Case> {};

TEST_P(SampleAppMatrix, PrintsWhatThatNodePrintsUnderEverySeed) {
  const Case& c = GetParam();
  const std::vector<std::string> expected = ExpectedOutputs(kApp, "main", c.node.major, c.backend);
  const absl::StatusOr<int> status = ExpectedStatus(kApp, "main", c.node.major);
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_TRUE(status.ok()) << status.status();
  SeedsOf runs(c.node, kApp + "/main.js", c.backend, kApp);
  for (int seed = 0; seed < kSeeds; ++seed) {
    const sim::SeedResult r = runs.Run(static_cast<uint64_t>(seed));
    EXPECT_EQ(r.infra_error, "");
    EXPECT_EQ(r.exit_code, *status) << runs.Command(seed) << "\nstderr:\n" << r.err;
    EXPECT_EQ(r.out, expected[0]) << runs.Command(seed) << "\n" << LineDiff(expected[0], r.out);
  }
}

INSTANTIATE_TEST_SUITE_P(Nodes, SampleAppMatrix, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return GtestName("v" + std::to_string(p.param.node.major) + "_" + p.param.backend);
                         });

// Spurious EAGAIN and EINTR on sockets and short writes (to sockets and files) are the kernel's to
// report and libuv's and Node's to absorb: libuv retries an interrupted write and waits for a socket
// that would block, fs/promises and write streams write the rest of a short write. A program that does
// not retry anything itself must not notice them. (Before the fix in runtime/uv/stream.cc an EINTR on a
// socket write reached the program as "Error: write EINTR".)
TEST_P(SampleAppTest, PassesUnderFaultsNodeHidesFromPrograms) {
  const std::string profile = dir_ + "/hidden.faults";
  ASSERT_TRUE(WriteFile(profile, "swarm off\neagain 1/50\neintr 1/50\nshort-write 1/50\n"));
  const std::string summary = dir_ + "/summary.json";
  RunOptions o;
  const RunResult r = Loopsim({"explore", "--seeds", std::to_string(kSeeds), "--jobs", "2", "--backend", GetParam(),
                               "--faults", profile, "--json", summary, kApp + "/main.js"},
                              &o);
  EXPECT_EQ(r.exit_code, 0) << ShellQuote(o.argv) << "\n" << r.out << r.err;
  const json j = json::parse(Slurp(summary), nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out << r.err;
  EXPECT_EQ(j["failed"], 0) << j.dump(2);
  EXPECT_EQ(j["runs"], kSeeds) << j.dump(2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SampleAppTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace loopsim::testing
