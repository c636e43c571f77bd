// The launch description survives its trip through JSON, and text that is not one is refused.
#include "runtime/node/launch.h"

#include <gtest/gtest.h>

namespace loopsim::node_host {
namespace {

Launch EveryFieldSet() {
  Launch l;
  l.program = ProgramLaunch{.node = "/opt/node/bin/node",
                            .script = "app.js",
                            .args = {"--port", "80"},
                            .node_options = {"--no-warnings"},
                            .env = {{"NODE_ENV", "test"}, {"EMPTY", ""}},
                            .host_cwd = "/home/u",
                            .project_roots = {"/home/u/proj"},
                            .preload = "/tmp/pre.js",
                            .reporters = "/opt/loopsim/reporters",
                            .hosts = {{"n1", {"10.0.0.1", "fd00::1"}}, {"n2", {"10.0.0.2"}}},
                            .commands = {{"git", "/home/u/proj/fake-git.js"}},
                            .backend = "kqueue",
                            .max_heap_mb = 64,
                            .warm_up = false};
  l.seed.seed = 18446744073709551615ull;
  l.seed.schedule_path = "s.log";
  l.seed.strategy = "pct";
  l.seed.pct_depth = 5;
  l.seed.pct_horizon = 99;
  l.seed.faults = "drop 0.5";
  l.seed.faults_is_text = true;
  l.seed.trace_path = "t.json";
  l.seed.record_path = "r.json";
  l.seed.max_virtual_ms = 7;
  l.seed.max_iterations = 8;
  l.seed.test_mutations = {"timers-before-io"};
  l.seed.test_segv_seed = 3;
  l.seed.test_nondeterministic_counter = "/tmp/c";
  l.zygote_fd = 3;
  l.test_zygote_age_ms = 12;
  return l;
}

TEST(LaunchJson, EveryFieldSurvivesTheRoundTrip) {
  const Launch sent = EveryFieldSet();
  absl::StatusOr<Launch> got = LaunchFromJson(LaunchToJson(sent));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->program, sent.program);
  EXPECT_EQ(got->seed, sent.seed);
  EXPECT_EQ(got->zygote_fd, sent.zygote_fd);
  EXPECT_EQ(got->test_zygote_age_ms, sent.test_zygote_age_ms);
}

TEST(LaunchJson, AnAbsentTestSeedStaysAbsent) {
  SeedLaunch sent;
  sent.seed = 42;
  absl::StatusOr<SeedLaunch> got = SeedLaunchFromJson(SeedLaunchToJson(sent));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, sent);
  EXPECT_FALSE(got->test_segv_seed.has_value());
}

TEST(LaunchJson, TextThatIsNoLaunchIsRefused) {
  for (const char* text : {"", "{", "[]", R"({"program":{}})", R"({"seed":1})"}) {
    absl::StatusOr<Launch> got = LaunchFromJson(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_NE(got.status().message().find("unreadable launch description"), std::string::npos) << got.status();
  }
  EXPECT_FALSE(SeedLaunchFromJson(R"({"seed":"one"})").ok());
}

}  // namespace
}  // namespace loopsim::node_host
