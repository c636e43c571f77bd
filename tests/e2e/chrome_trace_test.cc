// `run --trace-format chrome`: the trace as Chrome's Trace Event Format, one track per loop phase, with
// the same events as the JSON Lines trace of the same seed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "e2e.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

TEST(ChromeTrace, HoldsEveryEventOfTheJsonLinesTraceOnPhaseTracks) {
  char dir[] = "/tmp/loopsim-chrome-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string jsonl = std::string(dir) + "/t.jsonl", chrome = std::string(dir) + "/t.json";
  const RunResult a = RunProcess(LoopsimCommand({"run", "--seed", "4", "--trace", jsonl, E2eProgram("mixed_async.js")}));
  const RunResult b = RunProcess(LoopsimCommand(
      {"run", "--seed", "4", "--trace", chrome, "--trace-format", "chrome", E2eProgram("mixed_async.js")}));
  ASSERT_EQ(a.exit_code, 0);
  ASSERT_EQ(b.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
  size_t lines = 0;
  std::istringstream in(Slurp(jsonl));
  for (std::string line; std::getline(in, line);) lines += !line.empty();
  const nlohmann::json trace = nlohmann::json::parse(Slurp(chrome), nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << "not JSON";
  size_t events = 0, callbacks = 0;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "M") continue;
    ++events;
    if (e["ph"] == "X") {
      ++callbacks;
      EXPECT_GE(e["dur"].get<double>(), 0.0);
      EXPECT_EQ(e["cat"], e["args"]["phase"]);
    }
  }
  EXPECT_EQ(events, lines);
  EXPECT_GT(callbacks, 0u);
  std::system((std::string("rm -rf ") + dir).c_str());
}

TEST(ChromeTrace, AnUnknownFormatIsAUsageError) {
  const RunResult r = RunProcess(LoopsimCommand({"run", "--trace-format", "xml", E2eProgram("mixed_async.js")}));
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace loopsim::testing
