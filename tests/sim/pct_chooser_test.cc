// The PCT-style chooser: exactly `depth` deviations from the plain schedule, at distinct decisions within
// the horizon, all drawn from the seed.
#include "fakeos/pct_chooser.h"

#include <gtest/gtest.h>

#include <set>

namespace loopsim {
namespace {

std::vector<uint64_t> Drive(PctChooser& c, size_t decisions) {
  std::vector<uint64_t> v;
  for (size_t i = 0; i < decisions; ++i) v.push_back(c.Choose(i % 3 ? Site::kCpuCost : Site::kReadyOrder, 2 + i % 5));
  return v;
}

TEST(PctChooser, DepthZeroIsThePlainSchedule) {
  PctChooser c(42, 0, 10);
  for (uint64_t v : Drive(c, 30)) EXPECT_EQ(v, 0u);
  EXPECT_EQ(c.log().size(), 30u) << "plain choices are recorded too";
}

TEST(PctChooser, DeviatesExactlyAtItsChangePointsWithinTheHorizon) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    PctChooser c(seed, 3, 20);
    const std::vector<uint64_t>& points = c.change_points();
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(std::set<uint64_t>(points.begin(), points.end()).size(), 3u);
    for (uint64_t p : points) EXPECT_LT(p, 20u);
    const std::vector<uint64_t> v = Drive(c, 40);
    for (size_t i = 0; i < v.size(); ++i) {
      const bool change = std::find(points.begin(), points.end(), i) != points.end();
      EXPECT_EQ(v[i] != 0, change) << "seed " << seed << " decision " << i;
    }
  }
}

TEST(PctChooser, DepthIsCappedAtTheHorizon) {
  PctChooser c(1, 9, 4);
  EXPECT_EQ(c.change_points().size(), 4u);
}

TEST(PctChooser, SameSeedSameRunAndSeedsSpreadTheChangePoints) {
  PctChooser a(7, 2, 50), b(7, 2, 50);
  EXPECT_EQ(Drive(a, 60), Drive(b, 60));
  std::set<uint64_t> firsts;
  for (uint64_t seed = 0; seed < 100; ++seed) firsts.insert(PctChooser(seed, 1, 50).change_points()[0]);
  EXPECT_GT(firsts.size(), 25u);
}

}  // namespace
}  // namespace loopsim
