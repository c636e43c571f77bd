// Races: for every races/NAME.js (or .mjs, .cjs, .ts), a program whose output real Node does not fix,
// NAME.outcomes lists every output real Node can give (one line each; each argued in the program's
// comment, and checked against 200 real runs under every major by record_races.sh); NAME.vM.outcomes
// replaces it for a major M whose set differs. `loopsim run --seed S` for S in 0..N-1 must give only the
// outputs listed for that major, with exit status 0, and must reach every one of them: the seeds explore
// exactly what real Node can do, no less and no more. Every race runs under every node of the test
// matrix (matrix.h), through the zygote runner; one whose `// requires: node >= X` line asks for a newer
// node is skipped on older ones.
//
// N is 100 here, which keeps the group within CI's budget; the bar is 500 seeds, run locally with
// LOOPSIM_RACE_SEEDS=500 ctest -L conformance -R Races (or ./races_test with that variable).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expected.h"
#include "matrix.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

#ifndef LOOPSIM_RACES_DIR
#error "LOOPSIM_RACES_DIR must name the races directory"
#endif

namespace loopsim::testing {
namespace {

constexpr int kDefaultSeeds = 100;

// The number of seeds per race: LOOPSIM_RACE_SEEDS when set to a positive number (a local, longer run),
// else kDefaultSeeds. Only the test harness reads it; the simulation never sees it.
int SeedCount() {
  const char* text = std::getenv("LOOPSIM_RACE_SEEDS");
  if (text == nullptr || *text == '\0') return kDefaultSeeds;
  const int n = std::atoi(text);
  return n > 0 ? n : kDefaultSeeds;
}

std::vector<Program> ListRaces() { return ListPrograms(LOOPSIM_RACES_DIR); }

struct Case {
  TestNode node;
  Program race;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.race.name << " under node " << c.node.major; }

std::vector<Case> ListCases() {
  std::vector<Case> cases;
  for (const TestNode& node : TestNodes()) {
    for (const Program& race : ListRaces()) cases.push_back({node, race});
  }
  return cases;
}

std::string TestName(const ::testing::TestParamInfo<Case>& info) {
  return GtestName("v" + std::to_string(info.param.node.major) + "_" + info.param.race.name);
}

class Races : public ::testing::TestWithParam<Case> {};

TEST_P(Races, SeedsGiveOnlyAndAllOutcomesRealNodeCanGive) {
  const std::string dir = LOOPSIM_RACES_DIR;
  const std::string& name = GetParam().race.name;
  const std::string script = dir + "/" + GetParam().race.file;
  const TestNode& test_node = GetParam().node;
  const NodeVersion* node = &test_node.version;
  const absl::StatusOr<std::optional<NodeVersion>> minimum = MinimumVersion(script);
  ASSERT_TRUE(minimum.ok()) << minimum.status();
  if (minimum->has_value() && *node < **minimum) {
    GTEST_SKIP() << name << " requires node >= " << (*minimum)->ToString() << "; this is node " << node->ToString();
  }
  const std::string outcomes_path = ExpectedOutcomesPath(dir, name, node->major);
  std::string outcomes_text;
  ASSERT_TRUE(!outcomes_path.empty() && ReadFile(outcomes_path, &outcomes_text)) << "missing " << name << ".outcomes";
  const std::set<std::string> listed = ListedLines(outcomes_text);  // NAME.outcomes: an outcome a line
  ASSERT_GE(listed.size(), 2u) << outcomes_path << " lists fewer than two outcomes: not a race";

  const int seeds = SeedCount();
  std::map<std::string, std::vector<int>> seen;  // outcome -> seeds that gave it
  int unlisted = 0;
  SeedsOf runs(test_node, script, "epoll", dir);
  for (int seed = 0; seed < seeds; ++seed) {
    const sim::SeedResult result = runs.Run(static_cast<uint64_t>(seed));
    if (!result.infra_error.empty() || result.timed_out || result.term_signal != 0) {
      ADD_FAILURE() << "seed " << seed << ": " << runs.Command(seed) << " did not finish: " << result.infra_error
                    << (result.timed_out ? " (timed out)" : "") << "\nstderr:\n" << result.err;
      return;  // A hang or crash is expensive to repeat; one seed to replay is enough.
    }
    std::string outcome = result.out;
    if (!outcome.empty() && outcome.back() == '\n') outcome.pop_back();
    if (result.exit_code != 0) outcome = "exit status " + std::to_string(result.exit_code) + ": " + outcome;
    seen[outcome].push_back(seed);
    if (listed.count(outcome) == 0 && ++unlisted <= 3) {
      ADD_FAILURE() << "seed " << seed << " gave an output real Node cannot give: " << runs.Command(seed)
                    << "\nstdout:\n" << result.out << "stderr (first 2000 bytes):\n" << result.err.substr(0, 2000);
    }
  }
  std::string summary;
  for (const auto& [outcome, which] : seen) {
    summary += "  " + std::to_string(which.size()) + " x " + outcome + " (first seed " + std::to_string(which.front()) + ")\n";
  }
  for (const std::string& outcome : listed) {
    EXPECT_TRUE(seen.count(outcome) > 0) << "no seed in 0.." << seeds - 1 << " gave \"" << outcome
                                         << "\", which real Node can give; seen:\n" << summary;
  }
  EXPECT_EQ(unlisted, 0) << unlisted << " seeds gave outputs not in " << outcomes_path << "; seen:\n" << summary;
  std::cout << name << " over seeds 0.." << seeds - 1 << ":\n" << summary;
}

INSTANTIATE_TEST_SUITE_P(Programs, Races, ::testing::ValuesIn(ListCases()), TestName);

TEST(RacesSuite, EveryRaceHasAnOutcomeFile) {
  const std::vector<Program> races = ListRaces();
  EXPECT_GE(races.size(), 3u) << "races in " << LOOPSIM_RACES_DIR;
  EXPECT_TRUE(DuplicateProgramNames(LOOPSIM_RACES_DIR).empty());
  for (const Program& race : races) {
    std::string ignored;
    EXPECT_TRUE(ReadFile(std::string(LOOPSIM_RACES_DIR) + "/" + race.name + ".outcomes", &ignored)) << race.name;
  }
}

}  // namespace
}  // namespace loopsim::testing
