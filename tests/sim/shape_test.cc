// Message shapes: the parts of a failure message that vary between seeds are masked, so one bug is one
// group, and messages that differ in their words keep different shapes.
#include "sim/shape.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace loopsim::sim {
namespace {

TEST(Shape, EachKindOfVaryingPartIsMasked) {
  const std::vector<std::pair<std::string, std::string>> masked = {
      {"lost update: expected 2, got 1", "lost update: expected <n>, got <n>"},
      {"offset -12 of 1.5 MB after 250ms", "offset <n> of <n>.<n> MB after <n>ms"},
      {"order A-17 was charged 2 times", "order A-<n> was charged <n> times"},
      {"request req_42 on worker3", "request req_<n> on worker<n>"},
      {"job 9b2f1c7e-0d4a-4e8b-a1f3-5c6d7e8f9a0b failed", "job <uuid> failed"},
      {"checksum 0x1F2e at deadbeef01, trace a1b2c3", "checksum <hex> at <hex>, trace <hex>"},
      {"session k3j9x2q8 expired", "session <id> expired"},
      {"unknown user 'alice' in \"x y\" or `z`", "unknown user <str> in <str> or <str>"},
      {"cannot write /tmp/job-Ab3xYz/out.json: the disk is full", "cannot write <tmp>: the disk is full"},
      {"open /var/tmp/x, then file:///tmp/y.", "open <tmp>, then <tmp>."},
      {"out of order: acdbef", "out of order: <perm:abcdef>"},
      {"ids CAB", "ids <perm:ABC>"},
      {"deadline missed at 2026-01-01T00:00:01.234Z", "deadline missed at <n>-<n>-<n>T<n>:<n>:<n>.<n>Z"},
  };
  for (const auto& [message, shape] : masked) EXPECT_EQ(MessageShape(message), shape) << message;
}

TEST(Shape, WordsCodesAndApostrophesAreKept) {
  for (const char* kept : {"SyntaxError: Unexpected end of JSON input", "callback called twice", "read ECONNRESET",
                           "spawn E2BIG", "ERR_ASSERTION", "it can't be, it's gone",
                           "two jobs inside the critical section", "update order first worker"}) {
    EXPECT_EQ(MessageShape(kept), kept);
  }
  // Only the digits at the ends of a word are a number.
  EXPECT_EQ(MessageShape("ERR_HTTP2_STREAM_ERROR"), "ERR_HTTP<n>_STREAM_ERROR");
}

TEST(Shape, MessagesOfOneBugHaveOneKey) {
  const std::vector<std::vector<std::string>> same = {
      {"out of order: acdbef", "out of order: badcef", "out of order: fedcba"},
      {"lost update: expected 2, got 1", "lost update: expected 2, got 0"},
      {"two leaders: worker A, worker B", "two leaders: worker B, worker A"},
      {"finished as c -> a -> b", "finished as a -> b -> c"},
      {"got c, a, b from the queue", "got b, c, a from the queue"},
      {"got [3, 1, 2]", "got [1, 2, 3]"},
      {"ENOENT: no such file or directory, open '/tmp/a'", "ENOENT: no such file or directory, open '/tmp/bb'"},
      {"job 9b2f1c7e-0d4a-4e8b-a1f3-5c6d7e8f9a0b failed", "job 00000000-1111-2222-3333-444444444444 failed"},
      {"offset -3", "offset 7"},
  };
  for (const auto& messages : same) {
    for (const std::string& m : messages) EXPECT_EQ(ShapeKey(m), ShapeKey(messages[0])) << m;
  }
}

TEST(Shape, DifferentMessagesKeepDifferentKeys) {
  const std::vector<std::string> distinct = {
      "lost update: n=1",
      "SyntaxError: Unexpected end of JSON input",
      "SyntaxError: Unexpected token } in JSON at position 12",
      "TypeError: Cannot read properties of null (reading 'x')",
      "TypeError: Cannot read properties of undefined (reading 'x')",
      "read ECONNRESET",
      "connect ETIMEDOUT",
      "callback called twice",
      "callback never called",
      "out of order: acdbef",
      "out of order: acdbe",  // a job missing is another failure than jobs reordered
      "out of order",
      "two leaders: worker A, worker C",
  };
  for (size_t i = 0; i < distinct.size(); ++i) {
    for (size_t j = i + 1; j < distinct.size(); ++j) {
      EXPECT_NE(ShapeKey(distinct[i]), ShapeKey(distinct[j])) << distinct[i] << " | " << distinct[j];
    }
  }
}

TEST(Shape, ShownShapeKeepsTheMessagesOrder) {
  EXPECT_EQ(MessageShape("two leaders: worker B, worker A"), "two leaders: worker B, worker A");
  EXPECT_EQ(ShapeKey("two leaders: worker B, worker A"), "two leaders: worker A, worker B");
}

TEST(Shape, FrameSiteIsThePlaceTheFramePointsAt) {
  const std::vector<std::pair<std::string, std::string>> sites = {
      {"Timeout._onTimeout (/p/app.js:13:34)", "/p/app.js:13:34"},
      {"/p/app.js:16:23", "/p/app.js:16:23"},
      {"/p/app.js:1", "/p/app.js:1"},
      {"get x [as y] (file:///p/app.mjs:2:7)", "file:///p/app.mjs:2:7"},
      // A script under /tmp keeps its path: it is the same in every seed.
      {"f (/tmp/p/app.js:3:1)", "/tmp/p/app.js:3:1"},
  };
  for (const auto& [frame, site] : sites) EXPECT_EQ(FrameSite(frame), site) << frame;
  EXPECT_EQ(FrameSite("async Promise.all (index 3)"), FrameSite("async Promise.all (index 0)"));
}

}  // namespace
}  // namespace loopsim::sim
