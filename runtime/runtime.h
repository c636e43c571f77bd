// The simulated libuv's process-wide state: the virtual kernel it runs on, the trace it writes and the
// CPU-time model. libuv's C API has no context argument beyond the loop (and none at all for calls such
// as uv_hrtime), so one Runtime per process is started before the first uv_* call and everything in the
// libuv layer reaches the kernel through it.
//
// Also the small C++ API for running any libuv program on the simulation: start a runtime for a seed,
// call ordinary uv_* functions, read the trace.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakeos/base/trace.h"
#include "fakeos/kernel.h"

namespace loopsim::runtime {

// Test-only ways to break a rule of the loop, so tests can show that the invariant checks catch it.
// Never set outside tests (`loopsim run --test-mutation NAME`).
struct TestMutations {
  bool check_before_poll = false;     // run the check phase before the poll phase
  bool reverse_equal_timers = false;  // fire timers with equal deadlines newest first
  bool close_cb_in_check = false;     // run close callbacks in the check phase
  bool stale_loop_time = false;       // do not update the loop time at the start of an iteration
};

// Sets the mutation called `name`; false if there is none of that name.
bool SetTestMutation(TestMutations& mutations, const std::string& name);

struct RuntimeOptions {
  Kernel::Options kernel;
  std::string trace_path;   // "" = keep only the trace hash
  std::string record_path;  // where to leave the run record (schedule, how it ended) for the explorer
  // Budgets: a run that goes past either is stopped and reported as a hang.
  Nanos virtual_time_budget = Seconds(7 * 24 * 3600);
  uint64_t iteration_budget = 50'000'000;
  std::string backend = "epoll";  // the loop's I/O personality: epoll | kqueue
  TestMutations mutations;
  // Runs once at the end of the run, after the trace is closed and the run record written, before the
  // process exits with `exit_code`; it may end the process itself (`run --check` reports an invariant
  // violation there). `stop` is as for Runtime::Finish.
  std::function<void(const std::string& stop, int exit_code)> on_finish;
};

// Why a run ended early; the exit codes `loopsim run` uses for them.
enum class Stop { kHang = 124, kUnsupported = 70 };

class Runtime {
 public:
  static void Start(RuntimeOptions options);
  static Runtime& Get();
  static bool Started();
  // Ends the process-wide runtime (tests run several in one process).
  static void Shutdown();

  Kernel& kernel() { return kernel_; }
  Trace& trace() { return trace_; }
  const RuntimeOptions& options() const { return options_; }

  // The CPU-time model: a callback from the loop returned (charge its running time), or JavaScript ran
  // between two calls of uv_run (the main script, beforeExit listeners).
  void ChargeCallback();
  void ChargeScript();

  uint64_t NextId() { return ++last_id_; }

  // The simulated process environment (uv_os_*env*).
  std::vector<std::pair<std::string, std::string>>& env() { return env_; }
  std::string& process_title() { return process_title_; }

  // Reports a hang or an unsupported call on stderr and ends the process with that stop's exit code,
  // after finishing the run.
  [[noreturn]] void Halt(Stop why, const std::string& message);

  // Ends the run before the process exits, whatever the reason: flushes stdio and the trace and writes
  // the run record. `stop` is "exit", "hang" or "unsupported". Runs once; later calls do nothing.
  void Finish(const std::string& stop, int exit_code, const std::string& message = "");

 private:
  explicit Runtime(RuntimeOptions options);

  RuntimeOptions options_;
  Kernel kernel_;
  Trace trace_;
  uint64_t last_id_ = 0;
  std::vector<std::pair<std::string, std::string>> env_;
  std::string process_title_ = "node";
  bool finished_ = false;
};

// The virtual clock; before a runtime is started (libnode's static initialisers read the time), a clock
// standing at the boot instant.
const Clock& SimClock();

}  // namespace loopsim::runtime
