// The black-box tests' checks of a run; see run_checks.h.
#include "tests/support/run_checks.h"

namespace loopsim::testing {

namespace {

// What is wrong with `result` in the light of `expected`, or "" when nothing is.
std::string Difference(const RunResult& result, const ExpectedRun& expected) {
  if (result.exit_code != expected.exit_code) {
    return "exit code " + std::to_string(result.exit_code) + ", not " + std::to_string(expected.exit_code);
  }
  for (const std::string& text : expected.out_has) {
    if (result.out.find(text) == std::string::npos) return "stdout lacks \"" + text + "\"";
  }
  for (const std::string& text : expected.err_has) {
    if (result.err.find(text) == std::string::npos) return "stderr lacks \"" + text + "\"";
  }
  return "";
}

}  // namespace

::testing::AssertionResult Shows(const RunResult& result, const ExpectedRun& expected) {
  const std::string difference = Difference(result, expected);
  if (difference.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << difference << "\nstdout:\n" << result.out << "\nstderr:\n" << result.err;
}

}  // namespace loopsim::testing
