// Runs a program as a child process for the black-box tests (those that run the loopsim binary): captures its
// stdout and stderr completely, waits for its status, and enforces a wall-clock limit by killing the
// child's whole process group. This wall clock is the tests' watchdog, not simulated time.
#ifndef LOOPSIM_TESTS_SUPPORT_SUBPROCESS_H_
#define LOOPSIM_TESTS_SUPPORT_SUBPROCESS_H_

#include <chrono>
#include <string>
#include <vector>

namespace loopsim::testing {

struct RunOptions {
  std::vector<std::string> argv;  // argv[0] is the program; searched in PATH if it has no '/'.
  std::string cwd;                // Empty: inherit the test's working directory.
  std::chrono::milliseconds wall_limit{30'000};
};

struct RunResult {
  std::string out;  // Everything the child wrote to stdout.
  std::string err;  // Everything the child wrote to stderr.
  int exit_code = -1;     // Set when the child exited normally.
  int term_signal = 0;    // Set when the child was killed by a signal.
  bool timed_out = false; // The wall limit was exceeded and the child was killed.
  std::string spawn_error;  // Non-empty when the child could not be started at all.

  bool Exited() const { return spawn_error.empty() && !timed_out && term_signal == 0; }
  // One line for failure messages: "exit 3", "killed by signal 11", "timed out after 30000 ms", ...
  std::string Describe(const RunOptions& options) const;
};

RunResult RunProcess(const RunOptions& options);

// The command line as a shell would read it, for failure messages that tell how to reproduce.
std::string ShellQuote(const std::vector<std::string>& argv);

// The loopsim binary under test: $LOOPSIM_BIN if set and non-empty, else `compiled_default`.
std::string LoopsimBinary(const char* compiled_default);

// A short line diff of `expected` against `actual` ("-" expected only, "+" actual only, " " both),
// limited to about `max_lines` lines around the differences.
std::string LineDiff(const std::string& expected, const std::string& actual, int max_lines = 40);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_SUBPROCESS_H_
