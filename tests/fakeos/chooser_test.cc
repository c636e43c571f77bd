#include "fakeos/chooser.h"

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

}  // namespace
}  // namespace loopsim
