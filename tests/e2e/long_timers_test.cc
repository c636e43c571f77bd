// Virtual time jumps: a program awaiting 3600 sequential 1-second timers (one virtual hour) finishes in
// far less wall time than the 30 s limit of a run, and Date.now() advances by at least the hour.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "e2e.h"

namespace loopsim::testing {
namespace {

TEST(LongTimers, ThirtySixHundredSequentialOneSecondTimersCompleteWithAVirtualHourElapsed) {
  for (int seed : {0, 7}) {
    RunOptions options = LoopsimCommand({"run", "--seed", std::to_string(seed), E2eProgram("long_timers.js")});
    const RunResult result = RunProcess(options);
    ASSERT_TRUE(result.Exited()) << result.Describe(options) << "\nstderr:\n" << result.err;
    ASSERT_EQ(result.exit_code, 0) << result.Describe(options) << "\nstderr:\n" << result.err;
    std::istringstream lines(result.out);
    std::string key;
    long long fired = -1, elapsed_ms = -1;
    lines >> key >> fired >> key >> elapsed_ms;
    EXPECT_EQ(fired, 3600) << result.out;
    EXPECT_GE(elapsed_ms, 3'600'000) << "seed " << seed << ": Date.now() advanced less than the timers' delays\n"
                                     << result.out;
  }
}

}  // namespace
}  // namespace loopsim::testing
