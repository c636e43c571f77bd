// Pinned regression seeds (tests/regressions/README.md): each NAME.json here names a program, a node
// major (or any), a backend and a seed under which a bug that was fixed showed, and the outcome the fix
// gives. The test runs `loopsim run` on each and holds it to that outcome: the exit code, how an
// uncaught error ended the run (the run record's `fatal`), and stdout and stderr when the entry pins them.
// An entry for a node major the test matrix does not have is skipped.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matrix.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

#ifndef LOOPSIM_BIN
#error "LOOPSIM_BIN must name the loopsim binary"
#endif
#ifndef LOOPSIM_SOURCE_DIR
#error "LOOPSIM_SOURCE_DIR must name the source tree (entries name programs relative to it)"
#endif
#ifndef LOOPSIM_REGRESSIONS_DIR
#error "LOOPSIM_REGRESSIONS_DIR must name tests/regressions"
#endif

namespace loopsim::testing {
namespace {

using nlohmann::json;

struct Regression {
  std::string name;     // the file's name without .json
  std::string bug;      // what went wrong before the fix
  std::string program;  // relative to the source tree
  std::vector<std::string> args;
  std::string node;  // a major ("22") or "any" (the tests' node, LOOPSIM_NODE)
  std::string backend;
  uint64_t seed = 0;
  int exit_code = 0;
  std::string fatal;                   // "", "exception" or "rejection"
  std::optional<std::string> stdout_;  // the whole of stdout, when pinned
  std::optional<std::string> stderr_;  // the whole of stderr, when pinned
};

// Reads one entry; a malformed one is an InvalidArgument status saying what is wrong.
absl::StatusOr<Regression> ParseRegression(const std::string& name, const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  const bool complete = j.is_object() && j.contains("bug") && j["bug"].is_string() && j.contains("program") &&
                        j["program"].is_string() && j.contains("node") && j["node"].is_string() &&
                        j.contains("backend") && j["backend"].is_string() && j.contains("seed") &&
                        j["seed"].is_number_unsigned() && j.contains("expect") && j["expect"].is_object() &&
                        j["expect"].contains("exit_code") && j["expect"]["exit_code"].is_number_integer();
  if (!complete) {
    return absl::InvalidArgumentError(
        "an entry is a JSON object with strings bug, program, node and backend, a whole number seed, and "
        "expect.exit_code an integer");
  }
  const json& expect = j["expect"];
  Regression r;
  r.name = name;
  r.bug = j["bug"];
  r.program = j["program"];
  r.args = j.value("args", std::vector<std::string>{});
  r.node = j["node"];
  r.backend = j["backend"];
  r.seed = j["seed"];
  r.exit_code = expect["exit_code"];
  r.fatal = expect.value("fatal", "");
  if (expect.contains("stdout")) r.stdout_ = expect["stdout"].get<std::string>();
  if (expect.contains("stderr")) r.stderr_ = expect["stderr"].get<std::string>();
  return r;
}

std::vector<std::string> EntryNames() {
  std::vector<std::string> names;
  if (DIR* dir = opendir(LOOPSIM_REGRESSIONS_DIR)) {
    while (const dirent* e = readdir(dir)) {
      const std::string file = e->d_name;
      if (file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0)
        names.push_back(file.substr(0, file.size() - 5));
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class PinnedSeed : public ::testing::TestWithParam<std::string> {};

TEST_P(PinnedSeed, GivesTheOutcomeOfTheFix) {
  const std::string path = std::string(LOOPSIM_REGRESSIONS_DIR) + "/" + GetParam() + ".json";
  std::string text;
  ASSERT_TRUE(ReadFile(path, &text)) << "cannot read " << path;
  absl::StatusOr<Regression> parsed = ParseRegression(GetParam(), text);
  ASSERT_TRUE(parsed.ok()) << path << ": " << parsed.status().message();
  const Regression& r = *parsed;

  RunOptions options;
  options.argv = {LoopsimBinary(LOOPSIM_BIN), "run", "--seed", std::to_string(r.seed), "--backend", r.backend};
  if (r.node != "any") {
    const std::vector<TestNode>& nodes = TestNodes();
    const auto node =
        std::find_if(nodes.begin(), nodes.end(), [&](const TestNode& n) { return std::to_string(n.major) == r.node; });
    if (node == nodes.end()) GTEST_SKIP() << "node " << r.node << " is not in the test matrix (LOOPSIM_NODES)";
    options.argv.insert(options.argv.end(), {"--node", node->path});
  }
  const std::string dir = MakeTempDir("loopsim-regression");
  ASSERT_FALSE(dir.empty());
  const std::string record_path = dir + "/record.json";
  options.argv.insert(options.argv.end(), {"--record", record_path, std::string(LOOPSIM_SOURCE_DIR) + "/" + r.program});
  options.argv.insert(options.argv.end(), r.args.begin(), r.args.end());
  options.cwd = dir;

  const RunResult result = RunProcess(options);
  const std::string replay = ShellQuote(options.argv);
  SCOPED_TRACE("regression " + r.name + ": " + r.bug + "\n  " + replay);
  ASSERT_TRUE(result.Exited()) << result.Describe(options) << "\n" << result.err;
  EXPECT_EQ(result.exit_code, r.exit_code) << result.out << result.err;
  const json record = json::parse(Slurp(record_path), nullptr, false);
  ASSERT_TRUE(record.is_object()) << "no run record at " << record_path;
  EXPECT_EQ(record.value("fatal", ""), r.fatal) << result.err;
  if (r.stdout_) {
    EXPECT_EQ(result.out, *r.stdout_);
  }
  if (r.stderr_) {
    EXPECT_EQ(result.err, *r.stderr_);
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Regressions, PinnedSeed, ::testing::ValuesIn(EntryNames()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return GtestName(p.param); });

// Every entry parses, names a node major or any, and names a program that exists.
TEST(Regressions, EveryEntryIsComplete) {
  const std::vector<std::string> names = EntryNames();
  EXPECT_FALSE(names.empty());
  for (const std::string& name : names) {
    std::string text;
    EXPECT_TRUE(ReadFile(std::string(LOOPSIM_REGRESSIONS_DIR) + "/" + name + ".json", &text)) << name;
    absl::StatusOr<Regression> parsed = ParseRegression(name, text);
    EXPECT_TRUE(parsed.ok()) << name << ": " << parsed.status().message();
    const Regression r = parsed.value_or(Regression());
    EXPECT_TRUE(r.node == "any" || (!r.node.empty() && std::all_of(r.node.begin(), r.node.end(), ::isdigit)))
        << name << ": node " << r.node;
    EXPECT_FALSE(Slurp(std::string(LOOPSIM_SOURCE_DIR) + "/" + r.program).empty()) << name << ": " << r.program;
  }
}

}  // namespace
}  // namespace loopsim::testing
