// The expected-file lookup of expected.h on a scratch directory: which file wins for a major and backend,
// the status fallback, race outcome files, entry files and the requires line.
#include "expected.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {

void PrintTo(const NodeVersion& version, std::ostream* os) { *os << version.ToString(); }

namespace {

class ExpectedTest : public TempDirTest<> {
 protected:
  void Write(const std::string& file, const std::string& text) { ASSERT_TRUE(WriteFile(dir_ + "/" + file, text)); }
  // Makes each of `files`, empty: for the lookups that go by which files there are, not by what they hold.
  void Touch(const std::vector<std::string>& files) {
    for (const std::string& file : files) Write(file, "");
  }
  std::vector<std::string> Paths(const std::string& name, int major, const std::string& backend) {
    std::vector<std::string> files;
    for (const std::string& path : ExpectedOutputPaths(dir_, name, major, backend)) {
      files.push_back(path.substr(dir_.size() + 1));
    }
    return files;
  }
};

using Files = std::vector<std::string>;

TEST_F(ExpectedTest, CommonOutputServesEveryMajorAndBackend) {
  Write("p.stdout", "a\n");
  for (int major : {18, 20, 26}) {
    for (const std::string& backend : Backends()) EXPECT_EQ(Paths("p", major, backend), Files{"p.stdout"});
  }
  EXPECT_EQ(ExpectedOutputs(dir_, "p", 22, "epoll"), Files{"a\n"});
}

TEST_F(ExpectedTest, PerMajorOutputServesOnlyThatMajor) {
  Write("p.stdout", "a\n");
  Write("p.v26.stdout", "b\n");
  EXPECT_EQ(Paths("p", 26, "kqueue"), Files{"p.v26.stdout"});
  EXPECT_EQ(Paths("p", 24, "kqueue"), Files{"p.stdout"});
  EXPECT_EQ(ExpectedOutputs(dir_, "p", 26, "epoll"), Files{"b\n"});
}

TEST_F(ExpectedTest, BackendOutputShadowsPerMajorOutputOnItsBackend) {
  Touch({"p.stdout", "p.iocp.stdout", "p.iocp.2.stdout", "p.v26.stdout"});
  EXPECT_EQ(Paths("p", 26, "epoll"), Files{"p.v26.stdout"});
  EXPECT_EQ(Paths("p", 26, "iocp"), (Files{"p.iocp.stdout", "p.iocp.2.stdout"}));
  EXPECT_EQ(Paths("p", 18, "iocp"), (Files{"p.iocp.stdout", "p.iocp.2.stdout"}));
  EXPECT_EQ(Paths("p", 18, "kqueue"), Files{"p.stdout"});
}

TEST_F(ExpectedTest, PerMajorBackendOutputComesFirstWithItsAlternates) {
  Touch({"p.stdout", "p.iocp.stdout", "p.v26.iocp.stdout", "p.v26.iocp.2.stdout"});
  EXPECT_EQ(Paths("p", 26, "iocp"), (Files{"p.v26.iocp.stdout", "p.v26.iocp.2.stdout"}));
  EXPECT_EQ(Paths("p", 24, "iocp"), Files{"p.iocp.stdout"});
}

TEST_F(ExpectedTest, AlternatesStopAtTheFirstGap) {
  Touch({"p.stdout", "p.iocp.stdout", "p.iocp.3.stdout"});
  EXPECT_EQ(Paths("p", 18, "iocp"), Files{"p.iocp.stdout"});
}

TEST_F(ExpectedTest, NoFileMeansNoExpectation) {
  EXPECT_TRUE(Paths("p", 18, "epoll").empty());
  Write("p.v26.stdout", "b\n");
  EXPECT_TRUE(Paths("p", 18, "epoll").empty());
}

TEST_F(ExpectedTest, StatusFallsBackToTheCommonOne) {
  Write("p.status", "0\n");
  Write("p.v26.status", "7\n");
  EXPECT_EQ(ExpectedStatus(dir_, "p", 18).value(), 0);
  EXPECT_EQ(ExpectedStatus(dir_, "p", 26).value(), 7);
  EXPECT_FALSE(ExpectedStatus(dir_, "q", 18).ok());
  Write("r.status", "seven\n");
  EXPECT_FALSE(ExpectedStatus(dir_, "r", 18).ok());
}

TEST_F(ExpectedTest, OutcomesFallBackToTheCommonFile) {
  EXPECT_EQ(ExpectedOutcomesPath(dir_, "race", 20), "");
  Write("race.outcomes", "a\nb\n");
  Write("race.v26.outcomes", "a\n");
  EXPECT_EQ(ExpectedOutcomesPath(dir_, "race", 20), dir_ + "/race.outcomes");
  EXPECT_EQ(ExpectedOutcomesPath(dir_, "race", 26), dir_ + "/race.v26.outcomes");
}

TEST_F(ExpectedTest, PerMajorFilesAreFoundByMajor) {
  Touch({"p.stdout", "p.v26.stdout", "p.v26.status", "p.v20.iocp.stdout", "p.iocp.stdout", "pq.v22.stdout"});
  EXPECT_EQ(PerMajorFileMajors(dir_, "p"), (std::vector<int>{20, 26}));
}

TEST_F(ExpectedTest, EntryFilesOfEveryKindAreProgramsAndDuplicatesAreReported) {
  Touch({"a.js", "b.mjs", "c.cjs", "d.ts", "a.stdout", "e.json", "jitter.sh", "d.ts.stdout"});
  std::vector<std::string> names, files;
  for (const Program& program : ListPrograms(dir_)) {
    names.push_back(program.name);
    files.push_back(program.file);
  }
  EXPECT_EQ(names, (Files{"a", "b", "c", "d"}));
  EXPECT_EQ(files, (Files{"a.js", "b.mjs", "c.cjs", "d.ts"}));
  EXPECT_TRUE(DuplicateProgramNames(dir_).empty());
  Touch({"a.mjs"});
  EXPECT_EQ(DuplicateProgramNames(dir_), Files{"a"});
}

TEST_F(ExpectedTest, RequiresLineInTheLeadingCommentGivesTheMinimumVersion) {
  Write("none.js", "// Checks something.\nconsole.log(1);\n");
  Write("major.mjs", "#!/usr/bin/env node\n// Checks something.\n//\n// requires: node >= 22\nawait 0;\n");
  Write("minor.js", "// Checks something.\n  // requires:   node>=22.12  \n");
  Write("patch.ts", "// requires: node >= 22.18.1\n");
  Write("late.js", "// Checks something.\nconsole.log(1);\n// requires: node >= 26\n");
  EXPECT_EQ(MinimumVersion(dir_ + "/none.js").value(), std::nullopt);
  EXPECT_EQ(MinimumVersion(dir_ + "/major.mjs").value(), (NodeVersion{22, 0, 0}));
  EXPECT_EQ(MinimumVersion(dir_ + "/minor.js").value(), (NodeVersion{22, 12, 0}));
  EXPECT_EQ(MinimumVersion(dir_ + "/patch.ts").value(), (NodeVersion{22, 18, 1}));
  EXPECT_EQ(MinimumVersion(dir_ + "/late.js").value(), std::nullopt) << "only the leading comment counts";
}

TEST_F(ExpectedTest, MalformedRequiresLineIsAnError) {
  for (const char* line :
       {"// requires: node > 22", "// requires: node >= v22", "// requires: deno >= 1",
        "// requires: node >= 22 (sqlite)", "// It requires: node >= 22", "// requires: node >= 22.1.2.3"}) {
    Write("bad.js", std::string(line) + "\n");
    EXPECT_FALSE(MinimumVersion(dir_ + "/bad.js").ok()) << line;
  }
  EXPECT_FALSE(MinimumVersion(dir_ + "/missing.js").ok());
}

TEST(NodeVersion, ParsesOneToThreePartsAndOrdersNumerically) {
  EXPECT_EQ(ParseNodeVersion("22"), (NodeVersion{22, 0, 0}));
  EXPECT_EQ(ParseNodeVersion("v18.20.4"), (NodeVersion{18, 20, 4}));
  EXPECT_EQ(ParseNodeVersion("22.9"), (NodeVersion{22, 9, 0}));
  EXPECT_LT(*ParseNodeVersion("22.9"), *ParseNodeVersion("22.12"));
  EXPECT_GE(*ParseNodeVersion("22.12.0"), *ParseNodeVersion("22.12"));
  for (const char* bad : {"", "v", "22.", "22..1", "x22", "22.1.2.3", "-1"})
    EXPECT_EQ(ParseNodeVersion(bad), std::nullopt) << bad;
  EXPECT_EQ((NodeVersion{22, 12, 0}).ToString(), "22.12.0");
}

}  // namespace
}  // namespace loopsim::testing
