// Conformance: for every programs/NAME.js and every backend (epoll, kqueue, iocp), `loopsim run --backend
// B --seed S` with S in 0..9 must print exactly the stdout real Node 18 printed (programs/NAME.stdout) and
// exit with its status (programs/NAME.status); see ExpectedOutputs for the few per-backend outputs.
// The expected files come from record.sh (see README.md). Standard error is not compared.
#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <ostream>
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
    if (file.size() > 3 && file.compare(file.size() - 3, 3, ".js") == 0) {
      names.push_back(file.substr(0, file.size() - 3));
    }
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

// What a program must print on a backend: NAME.stdout, unless NAME.BACKEND.stdout exists (a platform's
// libuv orders the program's events differently, argued in the program's comment); NAME.BACKEND.N.stdout
// (N = 2, 3, ...) are further outputs the backend allows where its order is the seed's choice.
std::vector<std::string> ExpectedOutputs(const std::string& name, const std::string& backend) {
  const std::string base = std::string(LOOPSIM_CONFORMANCE_DIR) + "/" + name;
  std::vector<std::string> outputs;
  std::string text;
  if (ReadFile(base + "." + backend + ".stdout", &text)) {
    outputs.push_back(text);
    for (int n = 2; ReadFile(base + "." + backend + "." + std::to_string(n) + ".stdout", &text); ++n) {
      outputs.push_back(text);
    }
  } else if (ReadFile(base + ".stdout", &text)) {
    outputs.push_back(text);
  }
  return outputs;
}

struct Case {
  std::string program;
  std::string backend;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.program << " on " << c.backend; }

std::vector<Case> ListCases() {
  std::vector<Case> cases;
  for (const std::string& program : ListPrograms()) {
    for (const char* backend : {"epoll", "kqueue", "iocp"}) cases.push_back({program, backend});
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

TEST_P(Conformance, MatchesNode18StdoutAndStatusForSeeds0To9) {
  const std::string dir = LOOPSIM_CONFORMANCE_DIR;
  const std::string& name = GetParam().program;
  const std::string& backend = GetParam().backend;
  const std::string script = dir + "/" + name + ".js";
  const std::vector<std::string> expected_outs = ExpectedOutputs(name, backend);
  std::string expected_status_text;
  ASSERT_FALSE(expected_outs.empty())
      << "missing " << name << ".stdout: record it with tests/conformance/record.sh " << name;
  ASSERT_TRUE(ReadFile(dir + "/" + name + ".status", &expected_status_text))
      << "missing " << name << ".status: record it with tests/conformance/record.sh " << name;
  const int expected_status = std::stoi(expected_status_text);

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
