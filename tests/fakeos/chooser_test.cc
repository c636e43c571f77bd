#include "fakeos/chooser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loopsim {
namespace {

TEST(Chooser, SingleAlternativeIsNotRecorded) {
  RandomChooser c(1);
  EXPECT_EQ(c.Choose(Site::kReadyOrder, 1), 0u);
  EXPECT_TRUE(c.log().empty());
}

TEST(Chooser, EveryChoiceIsRecordedInOrder) {
  RandomChooser c(3);
  uint64_t a = c.Choose(Site::kCpuCost, 10);
  uint64_t b = c.Choose(Site::kReadyOrder, 3);
  ASSERT_EQ(c.log().size(), 2u);
  EXPECT_EQ(c.log()[0], (Decision{Site::kCpuCost, 10, a}));
  EXPECT_EQ(c.log()[1], (Decision{Site::kReadyOrder, 3, b}));
}

TEST(Chooser, SitesDrawFromIndependentStreams) {
  // Adding draws at one site must not move the answers at a site of another stream.
  RandomChooser a(11), b(11);
  for (int i = 0; i < 50; ++i) b.Choose(Site::kWorkDuration, 64);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(a.Choose(Site::kCpuCost, 1000), b.Choose(Site::kCpuCost, 1000));
}

TEST(Chooser, ReplayReproducesARecordedLog) {
  RandomChooser original(77);
  for (int i = 0; i < 100; ++i) original.Choose(i % 2 ? Site::kCpuCost : Site::kReadyOrder, 2 + i % 5);
  ReplayChooser replay(original.log());
  for (int i = 0; i < 100; ++i) replay.Choose(i % 2 ? Site::kCpuCost : Site::kReadyOrder, 2 + i % 5);
  EXPECT_EQ(replay.log(), original.log());
  EXPECT_EQ(replay.mismatches(), 0u);
}

TEST(Chooser, ReplayFallsBackToThePlainChoice) {
  ReplayChooser replay({{Site::kCpuCost, 4, 3}});
  EXPECT_EQ(replay.Choose(Site::kReadyOrder, 4), 0u);  // wrong site
  EXPECT_EQ(replay.Choose(Site::kCpuCost, 4), 0u);     // past the end
  EXPECT_EQ(replay.mismatches(), 2u);
}

TEST(Chooser, ReplayReportsTheFirstMisfitOnceAndNeverThePastTheEndPlainChoices) {
  std::vector<std::string> heard;
  ReplayChooser replay({{Site::kCpuCost, 4, 3}, {Site::kReadyOrder, 3, 2}, {Site::kCpuCost, 16, 5}},
                       [&](size_t index, const Decision& logged, Site site, uint64_t n) {
                         heard.push_back(std::to_string(index) + ":" + std::string(SiteName(logged.site)) + "/" +
                                         std::to_string(logged.n) + "->" + std::string(SiteName(site)) + "/" +
                                         std::to_string(n));
                       });
  EXPECT_EQ(replay.Choose(Site::kCpuCost, 4), 3u);     // fits
  EXPECT_EQ(replay.Choose(Site::kReadyOrder, 2), 0u);  // another arity: the plain choice, reported
  EXPECT_EQ(replay.Choose(Site::kNetDelay, 16), 0u);   // another site: reported only the first time
  EXPECT_EQ(replay.Choose(Site::kCpuCost, 16), 0u);    // past the end: plain, no misfit
  EXPECT_EQ(heard, std::vector<std::string>{"1:ready-order/3->ready-order/2"});
  EXPECT_EQ(replay.mismatches(), 3u);
}

}  // namespace
}  // namespace loopsim
