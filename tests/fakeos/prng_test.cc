#include "fakeos/base/prng.h"

#include <gtest/gtest.h>

#include <set>

namespace loopsim {
namespace {

// Golden vectors: the PRNG is part of the seed contract; these values must never change. The first three
// are the published xoshiro256** outputs for a SplitMix64(0)-seeded state.
TEST(Prng, GoldenVectorsNeverChange) {
  Prng p(0);
  EXPECT_EQ(p.Next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(p.Next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(p.Next(), 0x1a5f849d4933e6e0ULL);
  Prng q(42);
  EXPECT_EQ(q.Next(), 0x15780b2e0c2ec716ULL);
}

TEST(Prng, StreamSeedsAreGolden) {
  EXPECT_EQ(StreamSeed(0, Stream::kScheduler), 0x141d4247550a23a4ULL);
  EXPECT_EQ(StreamSeed(7, Stream::kCpu), 0x7f22a6c23090f479ULL);
}

TEST(Prng, SameSeedSameSequence) {
  Prng a(123), b(123);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(Prng, StreamsOfOneSeedDiffer) {
  std::set<uint64_t> seeds;
  for (uint32_t s = 0; s < static_cast<uint32_t>(Stream::kCount); ++s) {
    seeds.insert(StreamSeed(5, static_cast<Stream>(s)));
  }
  EXPECT_EQ(seeds.size(), static_cast<size_t>(Stream::kCount));
}

TEST(Prng, BelowStaysInRangeAndCoversIt) {
  Prng p(9);
  std::set<uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    uint64_t v = p.Below(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(Prng, ChanceHonoursItsBounds) {
  Prng p(1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(p.Chance(0, 5));
    EXPECT_TRUE(p.Chance(5, 5));
  }
}

}  // namespace
}  // namespace loopsim
