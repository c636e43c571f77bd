// The model tests' mutation harness; see mutation.h.
#include "tests/support/mutation.h"

#include "fakeos/base/prng.h"

namespace loopsim::testing {

std::vector<uint8_t> RandomOps(uint64_t seed, size_t n) {
  Prng prng(seed);
  std::vector<uint8_t> ops(n);
  for (uint8_t& op : ops) op = static_cast<uint8_t>(prng.Below(256));
  return ops;
}

std::string FirstViolation(const ViolationSearch& search, const RunCheck& check) {
  for (uint64_t seed = 0; seed < search.seeds; ++seed) {
    std::string violation = check(seed, RandomOps(seed, search.ops));
    if (!violation.empty()) return violation;
  }
  return "";
}

::testing::AssertionResult Mentions(const std::string& violation, const std::string& what) {
  if (violation.find(what) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the violation does not mention \"" << what << "\": \"" << violation
                                       << "\"";
}

}  // namespace loopsim::testing
