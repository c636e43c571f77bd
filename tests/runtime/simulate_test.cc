// The simulated libuv as a library for any libuv program: a plain C program (libuv_program.c) run on
// the simulation over many seeds, with gtest and rapidcheck.
#include "runtime/simulation.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>
#include <string>

#include "tests/runtime/libuv_program.h"

namespace loopsim {
namespace {

warmer_result RunWarmer(uint64_t seed, SimulationResult* sim = nullptr) {
  warmer_result result;
  SimulationResult r = Simulate({seed, "epoll", ""}, [&] { warm_cache(uv_default_loop(), &result); });
  if (sim != nullptr) *sim = r;
  return result;
}

TEST(Simulate, EveryWriteCompletesExactlyOnceUnderEverySeed) {
  EXPECT_EQ(FirstFailingSeed(0, 200, [](uint64_t) {
              warmer_result r;
              warm_cache(uv_default_loop(), &r);
              std::string order = r.order;
              return r.completed == 3 && std::set<char>(order.begin(), order.end()).size() == 3;
            }),
            -1);
}

TEST(Simulate, TheSeedDecidesTheCompletionOrderAndTheSameSeedRepeatsIt) {
  std::set<std::string> orders;
  for (uint64_t seed = 0; seed < 200; ++seed) orders.insert(RunWarmer(seed).order);
  EXPECT_GT(orders.size(), 2u) << "thread-pool completions should come back in several orders";
  SimulationResult a, b;
  EXPECT_STREQ(RunWarmer(42, &a).order, RunWarmer(42, &b).order);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.decisions, b.decisions);
}

TEST(Simulate, FirstFailingSeedFindsAnOrderDependentAssumption) {
  // "The first write always completes first" is false for some seed; the helper finds one.
  const int64_t seed = FirstFailingSeed(0, 500, [](uint64_t) {
    warmer_result r;
    warm_cache(uv_default_loop(), &r);
    return r.order[0] == 'a';
  });
  ASSERT_GE(seed, 0);
  EXPECT_NE(RunWarmer(static_cast<uint64_t>(seed)).order[0], 'a');
}

RC_GTEST_PROP(Simulate, NoWriteCompletesBeforeTheLoopRunsAndAllCompleteByTheEnd, ()) {
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, 1000000);
  warmer_result r = RunWarmer(seed);
  RC_ASSERT(r.completed == 3);
  RC_ASSERT(r.completed_at_timer >= 0 && r.completed_at_timer <= 3);
}

}  // namespace
}  // namespace loopsim
