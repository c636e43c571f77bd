// Schedule files and run records (fakeos/schedule.h): what they say a run was of (its script, its stdin)
// survives writing and reading, and schedules written before that existed still read. The decisions,
// which the files write and read without a JSON tree, read back the same however a file is spaced or
// ordered, and a file with a bad decision is refused with the same message either way.
#include "fakeos/schedule.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loopsim {
namespace {

TEST(Schedule, ScriptIdentityRoundTripsAndIsOptional) {
  Schedule schedule;
  schedule.seed = 9;
  schedule.script = ScriptIdentity{"/app/main.js", 0x0123456789abcdefULL};
  schedule.decisions = {{Site::kCpuCost, 16, 2}};
  const std::string text = ScheduleToJson(schedule);
  EXPECT_NE(text.find(R"("script":{"hash":"0123456789abcdef","path":"/app/main.js"})"), std::string::npos) << text;
  absl::StatusOr<Schedule> parsed = ScheduleFromJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->script, schedule.script);
  EXPECT_EQ(parsed->decisions, schedule.decisions);
  parsed = ScheduleFromJson(R"({"version": 1, "seed": 9, "decisions": []})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->script.has_value());
  parsed = ScheduleFromJson(R"({"version": 1, "seed": 9, "script": {"path": "/a.js", "hash": 7}, "decisions": []})");
  EXPECT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("\"script\""), std::string::npos) << parsed.status();
}

TEST(RunRecord, StdinIsNamedWithItsHash) {
  RunRecord record;
  record.stdin_file = "-";
  record.stdin_hash = 42;
  absl::StatusOr<RunRecord> parsed = RunRecordFromJson(RunRecordToJson(record));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->stdin_file, "-");
  EXPECT_EQ(parsed->stdin_hash, 42u);
  parsed = RunRecordFromJson(RunRecordToJson(RunRecord()));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->stdin_file, "");
}

std::vector<Decision> ManyDecisions() {
  std::vector<Decision> decisions;
  for (uint64_t i = 0; i < 1000; ++i) {
    const Site site = static_cast<Site>(i % static_cast<uint64_t>(Site::kCount));
    const uint64_t n = 2 + i * 7919 % 100000;
    decisions.push_back({site, n, i * 104729 % n});
  }
  decisions.push_back({Site::kFault, UINT64_MAX, UINT64_MAX - 1});
  return decisions;
}

TEST(RunRecord, DecisionsRoundTripInTheFileFormat) {
  RunRecord record;
  record.schedule.seed = 3;
  record.schedule.decisions = ManyDecisions();
  record.message = "decisions";
  const std::string text = RunRecordToJson(record);
  EXPECT_EQ(text.rfind(R"({"decisions":[["ready-order",2,0],["cpu-cost",7921,)", 0), 0u) << text.substr(0, 80);
  EXPECT_NE(text.find(R"(["fault",18446744073709551615,18446744073709551614]],"exit_code":0,)"), std::string::npos);
  absl::StatusOr<RunRecord> parsed = RunRecordFromJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->schedule.decisions, record.schedule.decisions);
  EXPECT_EQ(parsed->message, "decisions");
}

TEST(Schedule, DecisionsReadTheSameSpacedOrOrderedOtherwise) {
  const std::vector<Decision> expected = {{Site::kCpuCost, 16, 3}, {Site::kReadyOrder, 2, 1}};
  for (const char* text : {
           R"({"decisions":[["cpu-cost",16,3],["ready-order",2,1]],"seed":4,"version":1})",
           R"({ "decisions": [ ["cpu-cost", 16, 3], ["ready-order", 2, 1] ], "seed": 4, "version": 1 })",
           R"({"version":1,"seed":4,"decisions":[["cpu-cost",16,3],["ready-order",2,1]]})",
           "{\"decisions\":[[\"cpu-cost\",16,3],[\"ready-order\",2,1]],\n\"seed\":4,\"version\":1}\n",
       }) {
    absl::StatusOr<Schedule> parsed = ScheduleFromJson(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(parsed->decisions, expected) << text;
    EXPECT_EQ(parsed->seed, 4u) << text;
  }
}

TEST(Schedule, ABadDecisionIsRefusedWithItsIndexWhereverItIs) {
  const struct {
    const char* text;
    const char* error;
  } cases[] = {
      {R"({"decisions":[["cpu-cost",16,3],["cpu-cost",16,16]],"seed":4,"version":1})",
       "decision 1 has choice 16 of 16 alternatives"},
      {R"({"decisions":[["cpu-cost",16,3],["nowhere",2,1]],"seed":4,"version":1})",
       "decision 1 names an unknown site \"nowhere\""},
      {R"({"decisions":[["cpu-cost",16,-3]],"seed":4,"version":1})", "decision 0 must be [site, alternatives, choice]"},
      {R"({"decisions":[["cpu-cost",16,3.0]],"seed":4,"version":1})",
       "decision 0 must be [site, alternatives, choice]"},
      {R"({"decisions":[["cpu-cost",18446744073709551616,3]],"seed":4,"version":1})",
       "decision 0 must be [site, alternatives, choice]"},
      {R"({"decisions":[["cpu-cost",16,03]],"seed":4,"version":1})", "not valid JSON"},
      {R"({"decisions":[["cpu-cost",16,3]],"seed":4,"version":1)", "not valid JSON"},
      {R"({"decisions":[["cpu-cost",16,3]],"seed":4,"version":2})",
       "unsupported schedule version (expected \"version\": 1)"},
      {R"({"decisions":[["cpu-cost",16,3]],"seed":4,"version":1,"decisions":[["cpu-cost",16,16]]})",
       "decision 0 has choice 16 of 16 alternatives"},
  };
  for (const auto& c : cases) {
    const absl::Status status = ScheduleFromJson(c.text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(status.message(), c.error) << c.text;
  }
}

}  // namespace
}  // namespace loopsim
