// The property tests every readiness model (epoll's, kqueue's) shares, written once: its healthy runs
// pass, one seed gives one sequence of reports, and losing events, reporting a level-triggered
// registration only once, ordering reports without the seed and breaking each rule of the model's own
// are each caught. readiness_models_test.cc names each model's mutations (which include
// drop_every_7th_event, level_reports_once and order_ignores_chooser), its check of one run and its own
// rules, and instantiates the suite:
//   constexpr OwnRule<Epoll::TestMutations> kEpollRules[] = {{&...::edge_rearms, "without a new edge"}, ...};
//   using EpollModel = ReadinessModel<Epoll::TestMutations, CheckEpollRun, kEpollRules>;
//   INSTANTIATE_TYPED_TEST_SUITE_P(EpollProperty, ReadinessModelProperty, EpollModel);
// Its tests are named EpollProperty/ReadinessModelProperty/0.<test> (in ctest EpollProperty.<test><0>,
// label `property`).
#ifndef LOOPSIM_TESTS_FAKEOS_READINESS_MODEL_PROPERTY_H_
#define LOOPSIM_TESTS_FAKEOS_READINESS_MODEL_PROPERTY_H_

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdint>
#include <vector>

#include "tests/support/mutation.h"

namespace loopsim {

// A rule of one model's own and the mutation that breaks it: a run with `broken` on must violate it
// with a first violation that says `caught_as`.
template <typename M>
struct OwnRule {
  bool M::*broken;
  const char* caught_as;
};

// A readiness model as the suite sees it: its mutations, the check of one run (MutatedRunCheck's
// signature) and its own rules; Runs() searches a few dozen random runs.
template <typename M, auto kCheck, const auto& kRules>
struct ReadinessModel {
  using Mutations = M;
  static constexpr const auto& own_rules = kRules;
  static testing::MutationSearch<M> Runs() { return {{.seeds = 40, .ops = 300}, kCheck}; }
};

template <typename Model>
class ReadinessModelProperty : public ::testing::Test {};

TYPED_TEST_SUITE_P(ReadinessModelProperty);

TYPED_TEST_P(ReadinessModelProperty, HealthyRunsPassOverManySeeds) {
  EXPECT_EQ(TypeParam::Runs().FirstViolation({}), "");
}

TYPED_TEST_P(ReadinessModelProperty, SameSeedGivesSameEventSequence) {
  EXPECT_TRUE(rc::check("two runs of one seed report the same", [](uint64_t seed, std::vector<uint8_t> ops) {
    RC_ASSERT(TypeParam::Runs().Trace(seed, ops, {}) == TypeParam::Runs().Trace(seed, ops, {}));
  }));
}

TYPED_TEST_P(ReadinessModelProperty, DroppingEventsIsCaught) {
  EXPECT_TRUE(TypeParam::Runs().Caught(&TypeParam::Mutations::drop_every_7th_event, "not reported"));
}

TYPED_TEST_P(ReadinessModelProperty, LevelReportedOnceIsCaught) {
  EXPECT_TRUE(TypeParam::Runs().Caught(&TypeParam::Mutations::level_reports_once, "not reported"));
}

TYPED_TEST_P(ReadinessModelProperty, OrderIgnoringTheSeedIsCaught) {
  EXPECT_TRUE(TypeParam::Runs().RunsOfOneSeedDiffer(&TypeParam::Mutations::order_ignores_chooser));
}

TYPED_TEST_P(ReadinessModelProperty, BreakingEachOfTheModelsOwnRulesIsCaught) {
  for (const auto& rule : TypeParam::own_rules) {
    EXPECT_TRUE(TypeParam::Runs().Caught(rule.broken, rule.caught_as));
  }
}

REGISTER_TYPED_TEST_SUITE_P(ReadinessModelProperty, HealthyRunsPassOverManySeeds, SameSeedGivesSameEventSequence,
                            DroppingEventsIsCaught, LevelReportedOnceIsCaught, OrderIgnoringTheSeedIsCaught,
                            BreakingEachOfTheModelsOwnRulesIsCaught);

}  // namespace loopsim

#endif  // LOOPSIM_TESTS_FAKEOS_READINESS_MODEL_PROPERTY_H_
