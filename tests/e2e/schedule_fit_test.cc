// A schedule replays only the run it was recorded for (fakeos/schedule.h): replaying one against another
// script, or one whose decisions no longer match what the run asks for, exits 2 saying where it stopped
// fitting; --force-schedule replays it anyway; a schedule that names no script (an older loopsim's)
// replays with a warning.
#include <filesystem>
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

constexpr char kRace[] =
    "setTimeout(() => console.log('timeout'), 0);\n"
    "setImmediate(() => console.log('immediate'));\n";

class ScheduleFit : public TempDirTest<> {
 protected:
  void SetUpInDir() override {
    race_ = dir_ + "/race.js";
    other_ = dir_ + "/other.js";
    schedule_ = dir_ + "/race.json";
    ASSERT_TRUE(WriteFile(race_, kRace));
    ASSERT_TRUE(WriteFile(other_, "console.log('another program');\n"));
    recorded_ = Run({"run", "--seed", "3", "--record", schedule_, race_});
    ASSERT_EQ(recorded_.exit_code, 0) << recorded_.err;
  }
  RunResult Run(const std::vector<std::string>& args) {
    RunOptions options = LoopsimCommand(args);
    RunResult result = RunProcess(options);
    EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\n" << result.err;
    return result;
  }
  // The recorded schedule, edited, as a new file.
  std::string Edited(const std::string& name, const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(Slurp(schedule_), nullptr, false);
    edit(j);
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFile(path, j.dump()));
    return path;
  }
  std::string race_, other_, schedule_;
  RunResult recorded_;
};

TEST_F(ScheduleFit, RecordedScheduleNamesItsScriptAndReplaysItsRun) {
  const nlohmann::json j = nlohmann::json::parse(Slurp(schedule_), nullptr, false);
  ASSERT_TRUE(j.contains("script")) << j;
  EXPECT_EQ(j["script"]["path"], std::filesystem::canonical(race_).string());
  const RunResult replay = Run({"replay", "--schedule", schedule_, race_});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(replay.out, recorded_.out);
  EXPECT_EQ(replay.err, "");
}

TEST_F(ScheduleFit, ReplayingAgainstAnotherScriptExits2NamingBoth) {
  const RunResult replay = Run({"replay", "--schedule", schedule_, other_});
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_EQ(replay.out, "") << "the other program ran";
  EXPECT_NE(replay.err.find("does not fit this run: it was recorded for " + std::filesystem::canonical(race_).string()),
            std::string::npos)
      << replay.err;
  EXPECT_NE(replay.err.find("this run is of " + std::filesystem::canonical(other_).string()), std::string::npos)
      << replay.err;
  EXPECT_NE(replay.err.find("--force-schedule"), std::string::npos) << replay.err;
}

TEST_F(ScheduleFit, ReplayingAfterTheScriptChangedExits2) {
  ASSERT_TRUE(WriteFile(race_, std::string(kRace) + "// edited\n"));
  const RunResult replay = Run({"replay", "--schedule", schedule_, race_});
  EXPECT_EQ(replay.exit_code, 2);
  EXPECT_NE(replay.err.find("has changed since"), std::string::npos) << replay.err;
}

TEST_F(ScheduleFit, DecisionAtAnotherSiteExits2NamingItsIndex) {
  size_t index = 0;
  const std::string edited = Edited("site.json", [&](nlohmann::json& j) {
    auto& decisions = j["decisions"];
    ASSERT_GE(decisions.size(), 2u);
    index = 1;
    decisions[index][0] = decisions[index][0] == "net-delay" ? "fault" : "net-delay";
  });
  const RunResult replay = Run({"replay", "--schedule", edited, race_});
  EXPECT_EQ(replay.exit_code, 2) << replay.out;
  EXPECT_NE(replay.err.find("does not fit this run: its decision " + std::to_string(index) + " is ["),
            std::string::npos)
      << replay.err;
}

TEST_F(ScheduleFit, DecisionWithAnotherAlternativeCountExits2) {
  const std::string edited = Edited("arity.json", [](nlohmann::json& j) {
    auto& d = j["decisions"][0];
    d[1] = d[1].get<uint64_t>() + 1;
  });
  const RunResult replay = Run({"replay", "--schedule", edited, race_});
  EXPECT_EQ(replay.exit_code, 2) << replay.out;
  EXPECT_NE(replay.err.find("its decision 0 is ["), std::string::npos) << replay.err;
}

TEST_F(ScheduleFit, ForceScheduleReplaysAScheduleThatDoesNotFit) {
  const RunResult other = Run({"replay", "--force-schedule", "--schedule", schedule_, other_});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(other.out, "another program\n");
  const std::string edited = Edited("site.json", [](nlohmann::json& j) { j["decisions"][1][0] = "net-delay"; });
  const RunResult misfit = Run({"replay", "--force-schedule", "--schedule", edited, race_});
  EXPECT_EQ(misfit.exit_code, 0) << misfit.err;
  EXPECT_EQ(misfit.err, "");
}

TEST_F(ScheduleFit, ScheduleWithoutScriptReplaysWithAWarning) {
  const std::string old = Edited("old.json", [](nlohmann::json& j) { j.erase("script"); });
  const RunResult replay = Run({"replay", "--schedule", old, race_});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(replay.out, recorded_.out);
  EXPECT_NE(replay.err.find("warning: the schedule " + old + " does not say which script"), std::string::npos)
      << replay.err;
}

}  // namespace
}  // namespace loopsim::testing
