// Reports: JSON summaries round-trip, shard summaries merge into the unsharded summary, and malformed or
// mismatched inputs are refused with a message.
#include "sim/report.h"

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

const Outcome kBoom{Kind::kUncaughtException, "Error: boom", "f (/a.js:1:2)", "/a.js:1:2"};
const Outcome kExit{Kind::kNonZeroExit, "exit code 1: lost", "", ""};

// An explore's summary before its runs are added: `seeds` seeds of `script` (random, epoll), shard k/n.
Summary Shard(const std::string& script, uint64_t seeds, uint32_t k, uint32_t n) {
  Summary s;
  s.script = script;
  s.strategy = "random";
  s.backend = "epoll";
  s.seeds = seeds;
  s.shard_index = k;
  s.shard_count = n;
  return s;
}

// What an explore of seeds 0..9 gives when seeds failing `boom` or `exit` fail that way, as shard k/n.
Summary Sweep(uint32_t k, uint32_t n) {
  Summary s = Shard("a.js", 10, k, n);
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

// Seeds 0..29 of a program with one bug whose message carries a permutation (seeds i % 3 == 0 fail
// with one of three orders) and a second bug (seeds i % 10 == 5), as shard k/n, grouped `by`.
Summary PermutationSweep(uint32_t k, uint32_t n, GroupBy by) {
  const char* orders[] = {"acbdef", "badcef", "fedcba"};
  Summary s = Shard("p.js", 30, k, n);
  s.group_by = by;
  for (uint64_t i = k - 1; i < 30; i += n) {
    ++s.runs;
    Outcome o{Kind::kNonZeroExit, "", "", "/p.js:9:13"};
    if (i % 3 == 0) {
      o.message = std::string("exit code 1: out of order: ") + orders[(i / 3) % 7 % 3];
    } else if (i % 10 == 5) {
      o.message = "exit code 1: lost update: n=" + std::to_string(i / 10);
      o.site = "/p.js:20:5";
    } else {
      continue;
    }
    AddFailure(s, o, i, "loopsim replay --seed " + std::to_string(i) + " p.js");
    ++s.failed;
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
    absl::StatusOr<Summary> merged = MergeSummaries(shards);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(Comparable(*merged), Comparable(whole)) << "n = " << n;
    EXPECT_EQ(merged->merged_from, n);
  }
}

TEST(Report, OneBugWithVaryingMessagesIsOneGroupWithItsVariants) {
  const Summary s = PermutationSweep(1, 1, GroupBy::kShape);
  ASSERT_EQ(s.failures.size(), 2u);
  const FailureGroup& order = s.failures[0];
  EXPECT_EQ(order.first_seed, 0u);
  EXPECT_EQ(order.seeds, (std::vector<uint64_t>{0, 3, 6, 9, 12, 15, 18, 21, 24, 27}));
  EXPECT_EQ(order.Shape(), "exit code 1: out of order: <perm:abcdef>");
  ASSERT_EQ(order.variants.size(), 3u);
  // Most common first; equal counts by first seed.
  EXPECT_EQ(order.variants[0].outcome.message, "exit code 1: out of order: acbdef");
  EXPECT_EQ(order.variants[0].count, 4u);
  EXPECT_EQ(order.variants[1].count, 3u);
  EXPECT_EQ(order.variants[1].first_seed, 3u);
  EXPECT_EQ(order.variants[1].reproduce, "loopsim replay --seed 3 p.js");
  EXPECT_EQ(order.variants[2].first_seed, 6u);
  const FailureGroup& lost = s.failures[1];
  EXPECT_EQ(lost.first_seed, 5u);
  EXPECT_EQ(lost.variants.size(), 2u);

  EXPECT_EQ(PermutationSweep(1, 1, GroupBy::kMessage).failures.size(), 5u);
  EXPECT_EQ(PermutationSweep(1, 1, GroupBy::kKind).failures.size(), 1u);
}

TEST(Report, ShardsOfAShapeGroupedSweepMergeIntoTheUnshardedSummary) {
  for (GroupBy by : {GroupBy::kShape, GroupBy::kMessage, GroupBy::kKind}) {
    const Summary whole = PermutationSweep(1, 1, by);
    for (uint32_t n : {2u, 4u, 7u}) {
      std::vector<Summary> shards;
      for (uint32_t k = 1; k <= n; ++k) {
        // Through JSON, as merge reads them.
        absl::StatusOr<Summary> back = SummaryFromJson(SummaryToJson(PermutationSweep(k, n, by)));
        ASSERT_TRUE(back.ok()) << back.status();
        shards.push_back(*back);
      }
      absl::StatusOr<Summary> merged = MergeSummaries(shards);
      ASSERT_TRUE(merged.ok()) << merged.status();
      EXPECT_EQ(Comparable(*merged), Comparable(whole)) << GroupByName(by) << ", n = " << n;
      EXPECT_EQ(SummaryToText(*merged), SummaryToText(whole));
    }
  }
  absl::StatusOr<Summary> mixed =
      MergeSummaries({PermutationSweep(1, 2, GroupBy::kShape), PermutationSweep(2, 2, GroupBy::kMessage)});
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("--group-by"), std::string::npos) << mixed.status();
}

TEST(Report, TextAndJUnitShowTheShapeAndTheMostCommonVariants) {
  const Summary s = PermutationSweep(1, 1, GroupBy::kShape);
  const std::string t = SummaryToText(s);
  EXPECT_NE(t.find("1) nonzero-exit: exit code 1: out of order: <perm:abcdef>\n   from /p.js:9:13\n"
                   "   first seed 0; 10 of 30 seeds; 3 distinct messages, the most common:\n"
                   "     4 x exit code 1: out of order: acbdef (seed 0)\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("replay: loopsim replay --seed 0 p.js"), std::string::npos) << t;
  const std::string x = SummaryToJUnit(s);
  EXPECT_NE(x.find("name=\"nonzero-exit: exit code 1: out of order: &lt;perm:abcdef&gt; at /p.js:9:13\""),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("3 x exit code 1: out of order: badcef (seed 3)"), std::string::npos) << x;
  // A group seen with one message only is shown by that message.
  EXPECT_NE(SummaryToText(Sweep(1, 1)).find("1) uncaught-exception: Error: boom\n   at f (/a.js:1:2)\n"),
            std::string::npos);
}

TEST(Report, SummariesWrittenBeforeGroupingByShapeReadAsExactGroups) {
  const std::string old = R"json({"version": 1, "script": "a.js", "args": [], "strategy": "random", "backend": "epoll",
    "run_flags": "", "seed_start": 0, "seeds": 10, "shard": {"index": 1, "count": 1}, "runs": 10, "failed": 3,
    "stopped_early": false, "coverage": "", "failures": [{"kind": "uncaught-exception", "message": "Error: boom",
    "top_frame": "f (/a.js:1:2)", "signature": "x", "first_seed": 1, "count": 3, "seeds": [1, 4, 7],
    "reproduce": "loopsim replay --seed 1 a.js"}]})json";
  absl::StatusOr<Summary> read = SummaryFromJson(old);
  ASSERT_TRUE(read.ok()) << read.status();
  const Summary& s = *read;
  EXPECT_EQ(s.group_by, GroupBy::kMessage);
  ASSERT_EQ(s.failures.size(), 1u);
  ASSERT_EQ(s.failures[0].variants.size(), 1u);
  EXPECT_EQ(s.failures[0].variants[0].count, 3u);
  EXPECT_EQ(s.failures[0].key, kBoom.Signature());
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
  s.interrupted = "SIGTERM";
  s.wall_s = 1.5;
  absl::StatusOr<Summary> back = SummaryFromJson(SummaryToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SummaryToJson(*back), SummaryToJson(s));
  EXPECT_EQ(back->interrupted, "SIGTERM");
}

TEST(Report, AnInterruptedShardMakesTheMergedSweepInterrupted) {
  std::vector<Summary> shards = {Sweep(1, 2), Sweep(2, 2)};
  shards[1].interrupted = "SIGINT";
  absl::StatusOr<Summary> merged = MergeSummaries(shards);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->interrupted, "SIGINT");
  EXPECT_NE(SummaryToText(*merged).find("interrupted by SIGINT"), std::string::npos);
  EXPECT_NE(SummaryToJUnit(*merged).find("type=\"interrupted\""), std::string::npos);
  shards[1].interrupted.clear();
  merged = MergeSummaries(shards);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->interrupted, "");
  EXPECT_EQ(SummaryToJUnit(*merged).find("interrupted"), std::string::npos);
}

TEST(Report, MergeRefusesMissingDuplicateAndForeignShards) {
  const absl::StatusOr<Summary> missing = MergeSummaries({Sweep(1, 3), Sweep(3, 3)});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("2"), std::string::npos) << missing.status();
  EXPECT_FALSE(MergeSummaries({Sweep(1, 2), Sweep(1, 2), Sweep(2, 2)}).ok());
  Summary other = Sweep(2, 2);
  other.script = "b.js";
  EXPECT_FALSE(MergeSummaries({Sweep(1, 2), other}).ok());
  EXPECT_FALSE(MergeSummaries({}).ok());
}

TEST(Report, CorruptJsonIsRefusedWithAMessage) {
  for (const char* text : {"", "{", "[]", "{\"version\": 2}", "{\"version\": 1}",
                           "{\"version\":1,\"script\":3}"}) {
    const absl::StatusOr<Summary> out = SummaryFromJson(text);
    ASSERT_FALSE(out.ok()) << text;
    EXPECT_FALSE(out.status().message().empty()) << text;
  }
  // Variants that do not add up to the group's seeds, an unknown grouping.
  const std::string good = SummaryToJson(PermutationSweep(1, 1, GroupBy::kShape));
  std::string miscounted = good;
  miscounted.replace(miscounted.find("\"count\": 4"), 10, "\"count\": 5");
  const absl::StatusOr<Summary> out = SummaryFromJson(miscounted);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("variants"), std::string::npos) << out.status();
  std::string regrouped = good;
  regrouped.replace(regrouped.find("\"group_by\": \"shape\""), 19, "\"group_by\": \"exact\"");
  EXPECT_FALSE(SummaryFromJson(regrouped).ok());
  EXPECT_TRUE(SummaryFromJson(good).ok()) << SummaryFromJson(good).status();
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
