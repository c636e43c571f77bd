// Tests of fault injection: profiles, the text format, swarm switching, and the rule that every fault
// that fires is a recorded choice. Suites named *Property hold the property tests (label `property`).
//   RC_PARAMS="max_success=10000" ./faults_test --gtest_filter='*Property*'
#include "fakeos/faults.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace loopsim {
namespace {

TEST(FaultProfile, NoneAsksNoQuestions) {
  RandomChooser chooser(1);
  Faults faults(chooser, FaultProfile::None());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(faults.Check(FaultSite::kNetRead), FaultKind::kNone);
  EXPECT_TRUE(chooser.log().empty());
}

TEST(FaultProfile, NamedProfilesAndUnknownNames) {
  FaultProfile p;
  EXPECT_TRUE(FaultProfile::Named("heavy", &p));
  EXPECT_EQ(p[FaultKind::kEagain].num, 1u);
  EXPECT_TRUE(FaultProfile::Named("none", &p));
  EXPECT_EQ(p[FaultKind::kEagain].num, 0u);
  EXPECT_FALSE(FaultProfile::Named("medium", &p));
}

TEST(FaultProfile, TextFormatParses) {
  absl::StatusOr<FaultProfile> parsed = FaultProfile::Parse(
      "# mine\nbase light\n\nswarm off   # all kinds on\neagain 3/7\nlatency-spike-ns 1000\npartition-ns 5000\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const FaultProfile& p = *parsed;
  EXPECT_FALSE(p.swarm);
  EXPECT_EQ(p[FaultKind::kEagain].num, 3u);
  EXPECT_EQ(p[FaultKind::kEagain].den, 7u);
  EXPECT_EQ(p[FaultKind::kShortRead].den, FaultProfile::Light()[FaultKind::kShortRead].den);
  EXPECT_EQ(p.latency_spike.ns, 1000);
  EXPECT_EQ(p.partition.ns, 5000);
}

TEST(FaultProfile, BadTextNamesTheLine) {
  for (const char* bad : {"eagain 1\n", "eagain 2/2\n", "eagain 1/0\n", "nosuch 1/2\n", "swarm maybe\n",
                          "eagain 1/2 extra\n", "eio 1/2\nbase heavy\n", "latency-spike-ns -5\n"}) {
    const absl::Status status = FaultProfile::Parse(bad).status();
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_NE(status.message().find("line"), std::string::npos) << status;
  }
  const absl::Status status = FaultProfile::Parse("eio 1/2\nbase heavy\n").status();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("line 2"), std::string::npos) << status;
}

TEST(Faults, SitesRaiseOnlyTheirOwnKinds) {
  FaultProfile p = FaultProfile::Heavy();
  p.swarm = false;
  RandomChooser chooser(3);
  Faults faults(chooser, p);
  for (int i = 0; i < 2000; ++i) {
    const FaultKind k = faults.Check(FaultSite::kDiskFsync);
    EXPECT_TRUE(k == FaultKind::kNone || k == FaultKind::kIo);
  }
  EXPECT_GT(faults.fired(FaultKind::kIo), 0u);
  EXPECT_EQ(FaultErrno(FaultKind::kNoSpace), -ENOSPC);
  EXPECT_EQ(FaultErrno(FaultKind::kShortRead), 0);
}

TEST(Faults, SwarmSwitchesWholeKindsOffPerSeed) {
  int some_off = 0, some_on = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    RandomChooser chooser(seed);
    Faults faults(chooser, FaultProfile::Heavy());
    some_off += !faults.enabled(FaultKind::kEagain);
    some_on += faults.enabled(FaultKind::kEagain);
    if (!faults.enabled(FaultKind::kEagain) && !faults.enabled(FaultKind::kEintr)) {
      for (int i = 0; i < 200; ++i) {
        const FaultKind k = faults.Check(FaultSite::kNetAccept);
        EXPECT_NE(k, FaultKind::kEagain);
      }
    }
  }
  EXPECT_GT(some_off, 0);
  EXPECT_GT(some_on, 0);
}

TEST(Faults, ShortLengthsAreShortButNotEmpty) {
  RandomChooser chooser(5);
  Faults faults(chooser, FaultProfile::None());
  EXPECT_EQ(faults.ShortLength(1), 1u);
  for (int i = 0; i < 100; ++i) {
    const uint64_t n = faults.ShortLength(10);
    EXPECT_GE(n, 1u);
    EXPECT_LT(n, 10u);
  }
}

// ---- Properties ----

// Runs `checks` checks at sites picked by `sites` under `profile`, and tells whether every fault that
// fired was a recorded choice: the number of recorded kFault answers in the firing range must equal the
// number of faults fired, and replaying the log must fire the very same faults.
std::string CheckFaultsRecorded(uint64_t seed, const std::vector<uint8_t>& sites, const FaultProfile& profile,
                                FaultTestMutations mutations) {
  RandomChooser chooser(seed);
  Faults faults(chooser, profile, mutations);
  std::vector<FaultKind> fired;
  for (uint8_t s : sites) {
    fired.push_back(faults.Check(static_cast<FaultSite>(s % static_cast<uint8_t>(FaultSite::kCount))));
  }
  uint64_t total = 0;
  for (FaultKind k : fired) total += k != FaultKind::kNone;
  uint64_t recorded = 0;
  const size_t swarm_decisions = [&] {
    size_t n = 0;
    for (size_t k = 1; k < kFaultKinds && profile.swarm; ++k) n += profile.chance[k].num != 0;
    return n;
  }();
  for (size_t i = swarm_decisions; i < chooser.log().size(); ++i) {
    const Decision& d = chooser.log()[i];
    if (d.site != Site::kFault) return "a fault decision at another site";
    // The firing answers are the top `num` of `den`; every kind of the profile shares its den here.
    bool fires = false;
    for (size_t k = 1; k < kFaultKinds; ++k) {
      const Ratio& r = profile.chance[k];
      if (r.num != 0 && r.den == d.n && d.value >= r.den - r.num) fires = true;
    }
    recorded += fires;
  }
  if (recorded != total) return "faults fired without a recorded choice";
  ReplayChooser replay(chooser.log());
  Faults again(replay, profile);
  for (size_t i = 0; i < sites.size(); ++i) {
    const FaultKind k = again.Check(static_cast<FaultSite>(sites[i] % static_cast<uint8_t>(FaultSite::kCount)));
    if (k != fired[i]) return "replaying the decision log fired different faults";
  }
  return "";
}

// A profile whose kinds all fire 1 in 4, so a recorded answer is a fault exactly when it is 3.
FaultProfile Quarter() {
  FaultProfile p;
  for (size_t k = 1; k < kFaultKinds; ++k) p.chance[k] = {1, 4};
  return p;
}

RC_GTEST_PROP(FaultsProperty, EveryFiredFaultIsARecordedChoiceAndReplays,
              (uint64_t seed, std::vector<uint8_t> sites, bool swarm)) {
  FaultProfile p = Quarter();
  p.swarm = swarm;
  RC_ASSERT(CheckFaultsRecorded(seed, sites, p, {}) == "");
}

TEST(FaultsProperty, FiringWithoutAChoiceIsCaught) {
  FaultTestMutations m;
  m.fire_without_choice = true;
  FaultProfile p = Quarter();
  p.swarm = false;
  std::vector<uint8_t> sites(100);
  for (size_t i = 0; i < sites.size(); ++i) sites[i] = static_cast<uint8_t>(i * 7);
  EXPECT_NE(CheckFaultsRecorded(1, sites, p, m), "");
  EXPECT_EQ(CheckFaultsRecorded(1, sites, p, {}), "");
}

}  // namespace
}  // namespace loopsim
