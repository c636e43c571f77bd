// The harness the fakeos model tests share to show that each property can fail (STYLE.md: a property
// test must be able to fail). A model carries a struct of test-only mutations, each a bool that breaks
// one rule on purpose; a model test has a check that runs the model on operations decoded from bytes
// against a reference and returns the first violation, or "". With() turns one mutation on, RandomOps()
// makes the bytes of a seed, and FirstViolation() runs the check over a range of seeds.
#ifndef LOOPSIM_TESTS_SUPPORT_MUTATION_H_
#define LOOPSIM_TESTS_SUPPORT_MUTATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loopsim::testing {

// The mutations of a model with exactly `field` on.
template <typename Mutations>
Mutations With(bool Mutations::*field) {
  Mutations mutations;
  mutations.*field = true;
  return mutations;
}

// `n` operation bytes drawn from the project's PRNG under `seed`: the same bytes for a seed everywhere.
std::vector<uint8_t> RandomOps(uint64_t seed, size_t n);

struct ViolationSearch {
  uint64_t seeds = 0;  // seeds 0..seeds-1
  size_t ops = 0;      // operation bytes per run
};

// A check of one run: "" when the run obeyed every rule, else what it broke first.
using RunCheck = std::function<std::string(uint64_t seed, const std::vector<uint8_t>& ops)>;

// The first violation `check` reports over the search's seeds (each with RandomOps of the seed), or "".
std::string FirstViolation(const ViolationSearch& search, const RunCheck& check);

// Success when `violation` (a mutation's first) says `what`; a failure quoting it otherwise.
::testing::AssertionResult Mentions(const std::string& violation, const std::string& what);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_MUTATION_H_
