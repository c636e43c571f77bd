// Conformance: for every programs/NAME.js, `loopsim run --seed S` with S in 0..9 must print exactly the
// stdout real Node 18 printed (programs/NAME.stdout) and exit with its status (programs/NAME.status).
// The expected files come from record.sh (see README.md). Standard error is not compared.
#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "subprocess.h"

#ifndef LOOPSIM_BIN
#error "LOOPSIM_BIN must name the loopsim binary"
#endif
#ifndef LOOPSIM_CONFORMANCE_DIR
#error "LOOPSIM_CONFORMANCE_DIR must name the programs directory"
#endif

namespace loopsim::testing {
namespace {

constexpr int kSeeds = 10;

std::vector<std::string> ListPrograms() {
  std::vector<std::string> names;
  DIR* dir = opendir(LOOPSIM_CONFORMANCE_DIR);
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    const std::string file = entry->d_name;
    if (file.size() > 3 && file.compare(file.size() - 3, 3, ".js") == 0) names.push_back(file.substr(0, file.size() - 3));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

// gtest names allow only letters, digits and underscores.
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, MatchesNode18StdoutAndStatusForSeeds0To9) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const std::string script = dir + "/" + GetParam() + ".js";
  std::string expected_out, expected_status_text;
  ASSERT_TRUE(ReadFile(dir + "/" + GetParam() + ".stdout", &expected_out))
      << "missing " << GetParam() << ".stdout: record it with tests/conformance/record.sh " << GetParam();
  ASSERT_TRUE(ReadFile(dir + "/" + GetParam() + ".status", &expected_status_text))
      << "missing " << GetParam() << ".status: record it with tests/conformance/record.sh " << GetParam();
  const int expected_status = std::stoi(expected_status_text);

  std::vector<int> failed_seeds;
  for (int seed = 0; seed < kSeeds; ++seed) {
    RunOptions options;
    options.argv = {LoopsimBinary(LOOPSIM_BIN), "run", "--seed", std::to_string(seed), script};
    options.cwd = dir;
    const RunResult result = RunProcess(options);
    if (!result.Exited()) {
      ADD_FAILURE() << "seed " << seed << ": " << result.Describe(options) << "\nstderr:\n" << result.err;
      failed_seeds.push_back(seed);
      break;  // A hang or crash is expensive to repeat; one seed to replay is enough.
    }
    const bool out_ok = result.out == expected_out;
    const bool status_ok = result.exit_code == expected_status;
    if (out_ok && status_ok) continue;
    failed_seeds.push_back(seed);
    if (failed_seeds.size() > 1) continue;  // Show the diff of the first failing seed only.
    std::string message = "seed " + std::to_string(seed) + ": " + ShellQuote(options.argv) + "\n";
    if (!status_ok) {
      message += "exit status " + std::to_string(result.exit_code) + ", expected " + std::to_string(expected_status) + "\n";
    }
    if (!out_ok) message += "stdout differs:\n" + LineDiff(expected_out, result.out);
    if (!result.err.empty()) message += "stderr (first 2000 bytes):\n" + result.err.substr(0, 2000);
    ADD_FAILURE() << message;
  }
  if (!failed_seeds.empty()) {
    std::string seeds;
    for (int seed : failed_seeds) seeds += (seeds.empty() ? "" : ",") + std::to_string(seed);
    ADD_FAILURE() << GetParam() << " failed for seeds " << seeds << " of 0.." << kSeeds - 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, Conformance, ::testing::ValuesIn(ListPrograms()), TestName);

TEST(ConformanceSuite, HasAtLeast100ProgramsEachWithExpectedFiles) {
  const std::vector<std::string> names = ListPrograms();
  EXPECT_GE(names.size(), 100u) << "programs in " << LOOPSIM_CONFORMANCE_DIR;
  for (const std::string& name : names) {
    std::string ignored;
    EXPECT_TRUE(ReadFile(std::string(LOOPSIM_CONFORMANCE_DIR) + "/" + name + ".stdout", &ignored)) << name;
    EXPECT_TRUE(ReadFile(std::string(LOOPSIM_CONFORMANCE_DIR) + "/" + name + ".status", &ignored)) << name;
  }
}

}  // namespace
}  // namespace loopsim::testing
