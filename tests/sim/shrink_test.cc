// Choice-sequence shrinking against model "programs" whose failure condition is known: the result still
// fails, keeps only the decisions that matter at their lowest values, and is never longer than the input.
#include "sim/shrink.h"

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

// Replays a candidate as `run --schedule` would on a program with `length` decisions of 16 alternatives:
// the candidate's values where it has them, plain choices past its end.
std::vector<Decision> Replay(const std::vector<Decision>& candidate, size_t length) {
  std::vector<Decision> log;
  for (size_t i = 0; i < length; ++i) log.push_back({Site::kCpuCost, 16, i < candidate.size() ? candidate[i].value : 0});
  return log;
}

std::vector<Decision> Noisy(size_t length, uint64_t salt) {
  std::vector<Decision> log;
  for (size_t i = 0; i < length; ++i) log.push_back({Site::kCpuCost, 16, (i * 7 + salt) % 16});
  return log;
}

ShrinkTester Tester(size_t length, std::function<bool(const std::vector<Decision>&)> fails, uint64_t* calls) {
  return [=](const std::vector<std::vector<Decision>>& candidates) {
    std::vector<std::optional<std::vector<Decision>>> out;
    for (const auto& c : candidates) {
      ++*calls;
      std::vector<Decision> log = Replay(c, length);
      out.push_back(fails(log) ? std::optional(log) : std::nullopt);
    }
    return out;
  };
}

TEST(Shrink, KeepsOnlyTheDecisionsThatMatterAtTheirLowestFailingValues) {
  // Fails when decision 5 is at least 9 and decision 30 is not plain.
  auto fails = [](const std::vector<Decision>& log) { return log[5].value >= 9 && log[30].value != 0; };
  std::vector<Decision> initial = Noisy(60, 3);
  initial[5].value = 14;
  initial[30].value = 4;
  ASSERT_TRUE(fails(initial));
  uint64_t calls = 0;
  for (size_t batch : {1, 2, 5}) {
    const ShrinkOutcome r = ShrinkDecisions(initial, Tester(60, fails, &calls), {batch, 1000});
    ASSERT_TRUE(fails(Replay(r.decisions, 60)));
    EXPECT_EQ(CountNonPlain(r.decisions), 2u);
    EXPECT_EQ(r.decisions.size(), 31u) << "trailing plain decisions are dropped";
    EXPECT_EQ(r.decisions[5].value, 9u);
    EXPECT_EQ(r.decisions[30].value, 1u);
    EXPECT_FALSE(r.budget_hit);
  }
}

TEST(Shrink, AFailureThatNeedsNoScheduleShrinksToTheEmptySchedule) {
  uint64_t calls = 0;
  const ShrinkOutcome r = ShrinkDecisions(Noisy(40, 1), Tester(40, [](const auto&) { return true; }, &calls), {2, 100});
  EXPECT_TRUE(r.decisions.empty());
}

TEST(Shrink, NeverLongerThanItsInputAndNeverWorse) {
  for (uint64_t salt = 0; salt < 8; ++salt) {
    const std::vector<Decision> initial = Noisy(50, salt);
    // Fails while the sum of the first ten values stays at least what it was.
    uint64_t target = 0;
    for (size_t i = 0; i < 10; ++i) target += initial[i].value;
    auto fails = [target](const std::vector<Decision>& log) {
      uint64_t s = 0;
      for (size_t i = 0; i < 10; ++i) s += log[i].value;
      return s >= target;
    };
    uint64_t calls = 0;
    const ShrinkOutcome r = ShrinkDecisions(initial, Tester(50, fails, &calls), {3, 300});
    EXPECT_TRUE(fails(Replay(r.decisions, 50)));
    EXPECT_LE(r.decisions.size(), initial.size());
    EXPECT_LE(r.decisions.size(), 10u);
    EXPECT_LE(CountNonPlain(r.decisions), CountNonPlain(initial));
    EXPECT_FALSE(ShrinkBetter(initial, r.decisions));
  }
}

TEST(Shrink, MovesASumOfCostsOntoOneDecision) {
  // Fails when decisions 2, 4 and 8 add up to at least 20 (time enough for a timer to become due).
  auto fails = [](const std::vector<Decision>& log) { return log[2].value + log[4].value + log[8].value >= 20; };
  std::vector<Decision> initial = Noisy(12, 0);
  for (Decision& d : initial) d.value = 0;
  initial[2].value = 7;
  initial[4].value = 7;
  initial[8].value = 7;
  uint64_t calls = 0;
  const ShrinkOutcome r = ShrinkDecisions(initial, Tester(12, fails, &calls), {2, 200});
  EXPECT_TRUE(fails(Replay(r.decisions, 12)));
  EXPECT_EQ(CountNonPlain(r.decisions), 2u) << "one decision holds at most 15 of the 20";
}

TEST(Shrink, StopsAtItsBudget) {
  auto fails = [](const std::vector<Decision>& log) { return log[0].value != 0; };
  uint64_t calls = 0;
  const ShrinkOutcome r = ShrinkDecisions(Noisy(200, 5), Tester(200, fails, &calls), {4, 10});
  EXPECT_LE(calls, 10u);
  EXPECT_EQ(r.runs, calls);
  EXPECT_TRUE(r.budget_hit);
}

TEST(ShrinkDeathTest, ATesterThatDoesNotAnswerEveryCandidateIsAProgrammerError) {
  const ShrinkTester answers_one = [](const std::vector<std::vector<Decision>>& candidates) {
    return std::vector<std::optional<std::vector<Decision>>>(candidates.empty() ? 0 : 1);
  };
  EXPECT_DEATH(ShrinkDecisions(Noisy(40, 1), answers_one, {4, 100}), "must answer every candidate");
}

TEST(Shrink, OrderPrefersFewerNonPlainThenShorterThenLowerValues) {
  const std::vector<Decision> a = {{Site::kCpuCost, 16, 3}};
  const std::vector<Decision> b = {{Site::kCpuCost, 16, 1}, {Site::kCpuCost, 16, 1}};
  const std::vector<Decision> c = {{Site::kCpuCost, 16, 0}, {Site::kCpuCost, 16, 2}};
  const std::vector<Decision> d = {{Site::kCpuCost, 16, 2}};
  EXPECT_TRUE(ShrinkBetter(a, b));
  EXPECT_TRUE(ShrinkBetter(a, c));
  EXPECT_TRUE(ShrinkBetter(d, a));
  EXPECT_FALSE(ShrinkBetter(a, a));
  EXPECT_EQ(TrimPlainTail(c).size(), 2u);
  EXPECT_EQ(TrimPlainTail({{Site::kCpuCost, 16, 1}, {Site::kCpuCost, 16, 0}}).size(), 1u);
}

}  // namespace
}  // namespace loopsim::sim
