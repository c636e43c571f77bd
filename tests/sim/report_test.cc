// Reports: JSON summaries round-trip, shard summaries merge into the unsharded summary, and malformed or
// mismatched inputs are refused with a message.
#include "sim/report.h"

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

const Outcome kBoom{Kind::kUncaughtException, "Error: boom", "f (/a.js:1:2)"};
const Outcome kExit{Kind::kNonZeroExit, "exit code 1: lost", ""};

// What an explore of seeds 0..9 gives when seeds failing `boom` or `exit` fail that way, as shard k/n.
Summary Sweep(uint32_t k, uint32_t n) {
  Summary s;
  s.script = "a.js";
  s.strategy = "random";
  s.backend = "epoll";
  s.seeds = 10;
  s.shard_index = k;
  s.shard_count = n;
  for (uint64_t i = k - 1; i < 10; i += n) {
    ++s.runs;
    if (i % 3 == 1) {
      AddFailure(s, kBoom, i, "loopsim replay --seed " + std::to_string(i) + " a.js");
      ++s.failed;
    } else if (i == 6 || i == 9) {
      AddFailure(s, kExit, i, "loopsim replay --seed " + std::to_string(i) + " a.js");
      ++s.failed;
    }
  }
  SortFailures(s);
  return s;
}

std::string Comparable(Summary s) {
  s.wall_s = 0;
  s.merged_from = 1;
  return SummaryToJson(s);
}

TEST(Report, ShardsMergeIntoTheUnshardedSummary) {
  const Summary whole = Sweep(1, 1);
  ASSERT_EQ(whole.failures.size(), 2u);
  for (uint32_t n : {2u, 3u, 7u}) {
    std::vector<Summary> shards;
    for (uint32_t k = n; k >= 1; --k) shards.push_back(Sweep(k, n));  // any order
    Summary merged;
    std::string error;
    ASSERT_TRUE(MergeSummaries(shards, &merged, &error)) << error;
    EXPECT_EQ(Comparable(merged), Comparable(whole)) << "n = " << n;
    EXPECT_EQ(merged.merged_from, n);
  }
}

TEST(Report, FailureGroupsKeepTheFirstSeedItsReplayAndEverySeed) {
  const Summary s = Sweep(1, 1);
  const FailureGroup& boom = s.failures[0];
  EXPECT_EQ(boom.outcome.Signature(), kBoom.Signature());
  EXPECT_EQ(boom.first_seed, 1u);
  EXPECT_EQ(boom.seeds, (std::vector<uint64_t>{1, 4, 7}));
  EXPECT_EQ(boom.reproduce, "loopsim replay --seed 1 a.js");
  EXPECT_EQ(s.failures[1].first_seed, 6u);
  EXPECT_EQ(s.passed(), 5u);
  EXPECT_TRUE(s.HasProgramFailures());
}

TEST(Report, JsonRoundTrips) {
  Summary s = Sweep(2, 3);
  s.args = {"--x", "y z"};
  s.coverage = "covered";
  s.stopped_early = true;
  s.wall_s = 1.5;
  Summary back;
  std::string error;
  ASSERT_TRUE(SummaryFromJson(SummaryToJson(s), &back, &error)) << error;
  EXPECT_EQ(SummaryToJson(back), SummaryToJson(s));
}

TEST(Report, MergeRefusesMissingDuplicateAndForeignShards) {
  std::string error;
  Summary out;
  EXPECT_FALSE(MergeSummaries({Sweep(1, 3), Sweep(3, 3)}, &out, &error));
  EXPECT_NE(error.find("2"), std::string::npos) << error;
  EXPECT_FALSE(MergeSummaries({Sweep(1, 2), Sweep(1, 2), Sweep(2, 2)}, &out, &error));
  Summary other = Sweep(2, 2);
  other.script = "b.js";
  EXPECT_FALSE(MergeSummaries({Sweep(1, 2), other}, &out, &error));
  EXPECT_FALSE(MergeSummaries({}, &out, &error));
}

TEST(Report, CorruptJsonIsRefusedWithAMessage) {
  Summary out;
  std::string error;
  for (const char* text : {"", "{", "[]", "{\"version\": 2}", "{\"version\": 1}",
                           "{\"version\":1,\"script\":3}"}) {
    error.clear();
    EXPECT_FALSE(SummaryFromJson(text, &out, &error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

TEST(Report, JUnitHasTheSweepAndOneCasePerDistinctFailure) {
  Summary s = Sweep(1, 1);
  s.failures[0].outcome.message = "Error: <&\"'>";
  const std::string x = SummaryToJUnit(s);
  size_t cases = 0;
  for (size_t at = x.find("<testcase"); at != std::string::npos; at = x.find("<testcase", at + 1)) ++cases;
  EXPECT_EQ(cases, 3u);
  EXPECT_NE(x.find("Error: &lt;&amp;&quot;&apos;&gt;"), std::string::npos);
  EXPECT_EQ(x.find("<&\"'>"), std::string::npos);
  Summary clean = s;
  clean.failures.clear();
  clean.failed = 0;
  EXPECT_EQ(SummaryToJUnit(clean).find("<failure"), std::string::npos);
}

TEST(Report, TextNamesKindFirstSeedCountAndReplay) {
  const std::string t = SummaryToText(Sweep(1, 1));
  EXPECT_NE(t.find("uncaught-exception: Error: boom"), std::string::npos) << t;
  EXPECT_NE(t.find("first seed 1; 3 of 10 seeds"), std::string::npos) << t;
  EXPECT_NE(t.find("replay: loopsim replay --seed 1 a.js"), std::string::npos) << t;
}

}  // namespace
}  // namespace loopsim::sim
