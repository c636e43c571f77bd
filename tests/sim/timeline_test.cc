// The minimised timeline in words, from hand-written traces.
#include "sim/timeline.h"

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// Two read-then-write chains; `interleaved` has request B's read complete before request A's write.
std::string Trace(bool interleaved) {
  std::string t =
      "{\"t\":0,\"iter\":0,\"phase\":\"outside\",\"ev\":\"sync\",\"kind\":\"fs\",\"req\":1,\"op\":\"open\"}\n"
      "{\"t\":1000,\"iter\":1,\"phase\":\"prepare\",\"ev\":\"cb\",\"kind\":\"prepare\",\"id\":7}\n"
      "{\"t\":1000,\"iter\":1,\"phase\":\"timers\",\"ev\":\"cb\",\"kind\":\"timer\",\"id\":5}\n"
      "{\"t\":1000,\"iter\":1,\"phase\":\"timers\",\"ev\":\"submit\",\"kind\":\"fs\",\"req\":10,\"op\":\"read\"}\n"
      "{\"t\":1000,\"iter\":1,\"phase\":\"timers\",\"ev\":\"submit\",\"kind\":\"fs\",\"req\":11,\"op\":\"read\"}\n"
      "{\"t\":2000,\"iter\":1,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":10}\n"
      "{\"t\":2000,\"iter\":1,\"phase\":\"poll\",\"ev\":\"submit\",\"kind\":\"fs\",\"req\":12,\"op\":\"write\"}\n";
  if (interleaved) {
    t += "{\"t\":3000,\"iter\":2,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":11}\n"
         "{\"t\":3000,\"iter\":2,\"phase\":\"poll\",\"ev\":\"submit\",\"kind\":\"fs\",\"req\":13,\"op\":\"write\"}\n"
         "{\"t\":4000,\"iter\":3,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":12}\n";
  } else {
    t += "{\"t\":3000,\"iter\":2,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":12}\n"
         "{\"t\":4000,\"iter\":3,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":11}\n"
         "{\"t\":4000,\"iter\":3,\"phase\":\"poll\",\"ev\":\"submit\",\"kind\":\"fs\",\"req\":13,\"op\":\"write\"}\n";
  }
  t += "{\"t\":5000,\"iter\":4,\"phase\":\"poll\",\"ev\":\"cb\",\"kind\":\"fs\",\"req\":13}\n";
  return t;
}

TEST(Timeline, NamesRequestsByOperationAndSubmissionOrderAndSkipsHousekeeping) {
  const std::vector<Happening> h = Happenings(ParseTrace(Trace(false)));
  std::vector<std::string> phrases;
  for (const Happening& x : h) phrases.push_back(x.label + " " + x.verb);
  EXPECT_EQ(phrases, (std::vector<std::string>{"timer #5 fired", "fs read #1 completed", "fs write #1 completed",
                                               "fs read #2 completed", "fs write #2 completed"}));
  EXPECT_EQ(h[1].t_ns, 2000);
  EXPECT_EQ(h[1].phase, "poll");
}

TEST(Timeline, SaysWhichCallbackOvertookWhichAgainstThePlainSchedule) {
  const auto plain = Happenings(ParseTrace(Trace(false)));
  const auto failing = Happenings(ParseTrace(Trace(true)));
  const std::vector<std::string> lines = ExplainOrder(plain, failing, 5);
  ASSERT_EQ(lines.size(), 1u) << Join(lines);
  EXPECT_EQ(lines[0].rfind("fs read #2 completed (iteration 2, poll, 0.003 ms) before fs write #1;", 0), 0u)
      << lines[0];
  EXPECT_TRUE(ExplainOrder(plain, plain, 5).empty());
}

TEST(Timeline, CallbacksThatNeverCameCountAsOvertaken) {
  const std::string plain =
      "{\"t\":0,\"iter\":1,\"phase\":\"check\",\"ev\":\"cb\",\"kind\":\"check\",\"id\":2}\n"
      "{\"t\":9,\"iter\":2,\"phase\":\"timers\",\"ev\":\"cb\",\"kind\":\"timer\",\"id\":1}\n";
  const std::string failing = "{\"t\":0,\"iter\":1,\"phase\":\"timers\",\"ev\":\"cb\",\"kind\":\"timer\",\"id\":1}\n";
  const auto lines = ExplainOrder(Happenings(ParseTrace(plain)), Happenings(ParseTrace(failing)), 5);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("timer #1 fired"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("before check #2 ran"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("ended before"), std::string::npos) << lines[0];
}

TEST(Timeline, TimelineAndDecisionsReadAsLines) {
  const auto lines = DescribeTimeline(Happenings(ParseTrace(Trace(true))), 2);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("iteration 1"), std::string::npos);
  EXPECT_NE(lines[0].find("timer #5 fired"), std::string::npos);
  EXPECT_NE(lines[2].find("3 more"), std::string::npos);
  EXPECT_EQ(DescribeDecision(4, {Site::kScriptCost, 32, 10}), "decision 4: script-cost took alternative 10 of 32 (plain: 0)");
  EXPECT_TRUE(ParseTrace("not json\n{\n").empty());
}

}  // namespace
}  // namespace loopsim::sim
