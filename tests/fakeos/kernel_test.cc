#include "fakeos/kernel.h"

#include <gtest/gtest.h>

#include <set>

namespace loopsim {
namespace {

Kernel::Options Seeded(uint64_t seed) {
  Kernel::Options o;
  o.seed = seed;
  return o;
}

// A new source, which an event at `when` signals.
SourceId SignalledAt(Kernel& k, Nanos when) {
  const SourceId s = k.NewSource();
  k.At(when, [&k, s] { k.Signal(s); });
  return s;
}

TEST(Kernel, PollWithoutWaitingNeverMovesTheClock) {
  Kernel k(Seeded(1));
  const Nanos before = k.clock().Now();
  bool deadlock;
  EXPECT_TRUE(k.Poll(Nanos{0}, false, &deadlock).empty());
  EXPECT_EQ(k.clock().Now(), before);
  EXPECT_FALSE(deadlock);
}

TEST(Kernel, IdleTimeJumpsToTheNextEvent) {
  Kernel k(Seeded(1));
  const Nanos start = k.clock().Now();
  const SourceId s = SignalledAt(k, start + Milliseconds(250));
  bool deadlock;
  auto ready = k.Poll(Nanos{0}, true, &deadlock);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0], s);
  EXPECT_EQ(k.clock().Now(), start + Milliseconds(250));
}

TEST(Kernel, TimeoutExpiresBeforeALaterEvent) {
  Kernel k(Seeded(1));
  const Nanos start = k.clock().Now();
  SignalledAt(k, start + Seconds(2));
  bool deadlock;
  EXPECT_TRUE(k.Poll(Seconds(1), false, &deadlock).empty());
  EXPECT_EQ(k.clock().Now(), start + Seconds(1));
}

TEST(Kernel, WaitingForeverOnNothingIsADeadlock) {
  Kernel k(Seeded(1));
  k.NewSource();
  bool deadlock;
  EXPECT_TRUE(k.Poll(Nanos{0}, true, &deadlock).empty());
  EXPECT_TRUE(deadlock);
}

TEST(Kernel, SignalsCoalesceAndEachReadySourceIsDeliveredOnce) {
  Kernel k(Seeded(4));
  std::vector<SourceId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(k.NewSource());
  for (SourceId id : ids) {
    k.Signal(id);
    k.Signal(id);
  }
  bool deadlock;
  auto ready = k.Poll(Nanos{0}, false, &deadlock);
  EXPECT_EQ(std::set<SourceId>(ready.begin(), ready.end()), std::set<SourceId>(ids.begin(), ids.end()));
  EXPECT_EQ(ready.size(), ids.size());
  EXPECT_TRUE(k.Poll(Nanos{0}, false, &deadlock).empty());
}

TEST(Kernel, ReadyOrderVariesAcrossSeeds) {
  std::set<std::vector<SourceId>> orders;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Kernel k(Seeded(seed));
    for (int i = 0; i < 3; ++i) k.Signal(k.NewSource());
    bool deadlock;
    orders.insert(k.Poll(Nanos{0}, false, &deadlock));
  }
  EXPECT_EQ(orders.size(), 6u);  // every permutation of three
}

TEST(ThreadPool, WorkRunsAtItsFinishingInstantAndCompletesOnce) {
  Kernel k(Seeded(2));
  int runs = 0, dones = 0;
  const Nanos start = k.clock().Now();
  k.thread_pool().Submit([&] { ++runs; EXPECT_GT(k.clock().Now(), start); }, [&] { ++dones; });
  EXPECT_EQ(runs, 0);
  bool deadlock;
  SourceId never = k.NewSource();
  (void)never;
  k.Poll(Seconds(1), false, &deadlock);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(dones, 1);
}

TEST(ThreadPool, NoMoreThanSizeWorkersRunAtOnceAndQueuedWorkCanBeCancelled) {
  Kernel::Options o = Seeded(3);
  o.thread_pool_size = 2;
  Kernel k(std::move(o));
  int done = 0;
  std::vector<WorkId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(k.thread_pool().Submit([] {}, [&] { ++done; }));
  EXPECT_EQ(k.thread_pool().busy(), 2);
  EXPECT_EQ(k.thread_pool().queued(), 2u);
  EXPECT_FALSE(k.thread_pool().Cancel(ids[0]));  // already running
  EXPECT_TRUE(k.thread_pool().Cancel(ids[3]));
  bool deadlock;
  k.Poll(Seconds(1), false, &deadlock);
  EXPECT_EQ(done, 3);
}

TEST(Kernel, EntropyIsAFunctionOfTheSeed) {
  auto bytes = [](uint64_t seed) {
    Kernel k(Seeded(seed));
    std::vector<unsigned char> b(37);
    k.Entropy(b.data(), b.size());
    return b;
  };
  EXPECT_EQ(bytes(5), bytes(5));
  EXPECT_NE(bytes(5), bytes(6));
}

}  // namespace
}  // namespace loopsim
