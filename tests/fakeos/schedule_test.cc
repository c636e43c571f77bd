// Schedule files and run records (fakeos/schedule.h): what they say a run was of (its script, its stdin)
// survives writing and reading, and schedules written before that existed still read.
#include "fakeos/schedule.h"

#include <string>

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
  Schedule parsed;
  std::string error;
  ASSERT_TRUE(ScheduleFromJson(text, &parsed, &error)) << error;
  EXPECT_EQ(parsed.script, schedule.script);
  EXPECT_EQ(parsed.decisions, schedule.decisions);
  ASSERT_TRUE(ScheduleFromJson(R"({"version": 1, "seed": 9, "decisions": []})", &parsed, &error)) << error;
  EXPECT_FALSE(parsed.script.has_value());
  EXPECT_FALSE(ScheduleFromJson(R"({"version": 1, "seed": 9, "script": {"path": "/a.js", "hash": 7},
                                    "decisions": []})",
                                &parsed, &error));
  EXPECT_NE(error.find("\"script\""), std::string::npos) << error;
}

TEST(RunRecord, StdinIsNamedWithItsHash) {
  RunRecord record;
  record.stdin_file = "-";
  record.stdin_hash = 42;
  RunRecord parsed;
  std::string error;
  ASSERT_TRUE(RunRecordFromJson(RunRecordToJson(record), &parsed, &error)) << error;
  EXPECT_EQ(parsed.stdin_file, "-");
  EXPECT_EQ(parsed.stdin_hash, 42u);
  ASSERT_TRUE(RunRecordFromJson(RunRecordToJson(RunRecord()), &parsed, &error)) << error;
  EXPECT_EQ(parsed.stdin_file, "");
}

}  // namespace
}  // namespace loopsim
