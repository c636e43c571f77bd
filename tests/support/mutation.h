// The harness the fakeos model tests share to show that each property can fail (STYLE.md: a property
// test must be able to fail). A model carries a struct of test-only mutations, each a bool that breaks
// one rule on purpose; a model test has a check that runs the model on operations decoded from bytes
// against a reference and returns the first violation, or "". With() turns one mutation on, RandomOps()
// makes the bytes of a seed, and FirstViolation() runs the check over a range of seeds; MutationSearch
// asks a model's check the questions every model test asks of it.
#ifndef LOOPSIM_TESTS_SUPPORT_MUTATION_H_
#define LOOPSIM_TESTS_SUPPORT_MUTATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
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

// What each call of a run reported, one list a call, in the order reported: the descriptors or idents a
// readiness model gave. Two runs of one seed must give the same; a model that ignores the seed differs.
using ReportTrace = std::vector<std::vector<uint64_t>>;

// Appends one call's reports to `trace`, when given: the `id` of each of `events`, in order.
template <typename Event, typename Id>
void AppendCall(ReportTrace* trace, const std::vector<Event>& events, Id Event::*id) {
  if (trace == nullptr) return;
  trace->emplace_back();
  for (const Event& e : events) trace->back().push_back(static_cast<uint64_t>(e.*id));
}

// A model's check of one run with `mutations` on: "" or the first violation, as RunCheck. When `trace`
// is given, what each call reported is appended to it (a check with no trace to give leaves it alone).
template <typename Mutations>
using MutatedRunCheck = std::function<std::string(uint64_t seed, const std::vector<uint8_t>& ops,
                                                  const Mutations& mutations, ReportTrace* trace)>;

// A model test's search for violations: the check of one run and how many runs to look at, with the
// questions its property tests and their "the mutation is caught" tests ask.
template <typename Mutations>
class MutationSearch {
 public:
  MutationSearch(ViolationSearch search, MutatedRunCheck<Mutations> check)
      : search_(search), check_(std::move(check)) {}

  // The first violation over the search's runs with `mutations` on, or "".
  std::string FirstViolation(const Mutations& mutations) const {
    return testing::FirstViolation(
        search_, [&](uint64_t seed, const std::vector<uint8_t>& ops) { return check_(seed, ops, mutations, nullptr); });
  }

  // Success when the check catches mutation `field`, with a first violation that says `what`.
  ::testing::AssertionResult Caught(bool Mutations::*field, const std::string& what) const {
    return Mentions(FirstViolation(With(field)), what);
  }

  // What a run of `seed` on `ops` reported, call by call.
  ReportTrace Trace(uint64_t seed, const std::vector<uint8_t>& ops, const Mutations& mutations) const {
    ReportTrace trace;
    check_(seed, ops, mutations, &trace);
    return trace;
  }

  // True when, for some seed of the search, two runs of that seed under mutation `field` report
  // differently: the mutation takes the order of reports away from the seed.
  bool RunsOfOneSeedDiffer(bool Mutations::*field) const {
    for (uint64_t seed = 0; seed < search_.seeds; ++seed) {
      const std::vector<uint8_t> ops = RandomOps(seed, search_.ops);
      if (Trace(seed, ops, With(field)) != Trace(seed, ops, With(field))) return true;
    }
    return false;
  }

 private:
  ViolationSearch search_;
  MutatedRunCheck<Mutations> check_;
};

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_MUTATION_H_
