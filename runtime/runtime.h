// The simulated libuv's process-wide state: the virtual kernel it runs on, the trace it writes and the
// CPU-time model. libuv's C API has no context argument beyond the loop (and none at all for calls such
// as uv_hrtime), so one Runtime per process is started before the first uv_* call and everything in the
// libuv layer reaches the kernel through it.
//
// Also the small C++ API for running any libuv program on the simulation: start a runtime for a seed,
// call ordinary uv_* functions, read the trace.
//
// A seed can also begin after the process has done work that belongs to no seed: StartBooting starts
// the runtime under a fixed boot seed (whose chooser refuses every decision, without faults, trace or
// record) and keeps the seed it was given; the Node host boots Node, then BeginSeed reseeds the same
// kernel for the seed that runs. `loopsim run` begins the seed it was started with, in the same process;
// a zygote boots once and each forked child begins its own seed. The trace, the run record, the fault
// profile, the budgets and the test mutations belong to the seed: the trace starts at BeginSeed, so a
// seed's trace is the same bytes whichever way it was started. Boot events are in no seed's trace.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  bool drop_shutdown_cb = false;      // complete a stream shutdown without running its callback
  bool exit_before_end = false;       // report a child's exit when it emits 'exit', before it has ended
};

// Sets the mutation called `name`; false if there is none of that name.
bool SetTestMutation(TestMutations& mutations, const std::string& name);

// The libuv version the simulated libuv follows unless asked otherwise: 1.44.2, Debian 12's libuv1.
inline constexpr uint32_t kDefaultLibuvVersion = (1u << 16) | (44u << 8) | 2u;

inline constexpr Nanos kDefaultVirtualTimeBudget = Seconds(7 * 24 * 3600);
inline constexpr uint64_t kDefaultIterationBudget = 50'000'000;

// What a run's options say about one seed besides the seed, its chooser and its faults (which the kernel's
// options carry): where its trace and record go, its budgets, its test mutations, and what runs at its
// end. RuntimeOptions and SeedOptions both have them, from this one struct, so that a seed's part moves
// between them whole (TakeSeedOptions, Runtime::BeginSeed).
struct RunOptions {
  std::string trace_path;   // "" = keep only the trace hash
  std::string record_path;  // where to leave the run record (schedule, how it ended) for the explorer
  // false: the record's decision log is left empty (for a caller that reruns the run from its seed and
  // reads only how it ended, the decisions cost memory and time: four per callback).
  bool record_decisions = true;
  // Budgets: a run that goes past either is stopped and reported as a hang.
  Nanos virtual_time_budget = kDefaultVirtualTimeBudget;
  uint64_t iteration_budget = kDefaultIterationBudget;
  TestMutations mutations;
  // Runs once at the end of the run, after the trace is closed and the run record written, before the
  // process exits with `exit_code`; it may end the process itself (`run --check` reports an invariant
  // violation there). `stop` is as for Runtime::Finish.
  std::function<void(std::string_view stop, int exit_code)> on_finish;
};

struct RuntimeOptions : RunOptions {
  Kernel::Options kernel;
  std::string backend = "epoll";  // the loop's I/O personality: epoll | kqueue | iocp
  // The libuv version whose behaviour the loop follows where versions differ (runtime/uv/version.h),
  // in UV_VERSION_HEX form: (major << 16) | (minor << 8) | patch. Like the backend, a property of the
  // process: the Node host sets it from the binary's own uv_version().
  uint32_t libuv_version = kDefaultLibuvVersion;
};

// What belongs to one seed's run rather than to the process: RuntimeOptions without the kernel's
// machine description (host facts, file system, thread-pool size), the backend and the libuv version.
struct SeedOptions : RunOptions {
  uint64_t seed = 0;
  std::unique_ptr<Chooser> chooser;  // null: a random walk on `seed`
  FaultProfile faults = FaultProfile::None();
  // Runs once, when the program's main script has returned (the first uv_run).
  std::function<void()> on_main_returned;
  // What the run record says the run was of (schedule.h), when the host knows.
  std::optional<ScriptIdentity> script;
  // What fd 0 reads (Vfs::SetStdin) and what the record calls it; without it fd 0 reads nothing.
  std::optional<std::string> stdin_bytes;
  std::string stdin_name;
};

// Moves the seed's part out of `options`, leaving the process's part.
SeedOptions TakeSeedOptions(RuntimeOptions& options);

// The seed a booting runtime stands under. Its chooser fails on any decision: work done then must be the
// same for every seed.
inline constexpr uint64_t kBootSeed = 0x6c6f6f7073696d00;  // "loopsim\0"

// Why a run ended early; the exit codes `loopsim run` uses for them (fakeos/base/trace_schema.h).
enum class Stop { kHang = trace::kHangExit, kUnsupported = trace::kUnsupportedExit };

class Runtime {
 public:
  // Starts the runtime under options' seed at once (libuv programs and their tests).
  static void Start(RuntimeOptions options);
  // Starts the runtime booting: under kBootSeed, keeping options' seed for TakeSeed.
  static void StartBooting(RuntimeOptions options);
  static Runtime& Get() {  // inline: the loop asks for it several times in every callback
    LS_CHECK_MSG(current_ != nullptr, "the simulated libuv was used before a runtime was started");
    return *current_;
  }
  static bool Started() { return current_ != nullptr; }
  // Ends the process-wide runtime (tests run several in one process).
  static void Shutdown();

  // The seed StartBooting kept (once).
  SeedOptions TakeSeed();
  // Begins `seed` on a booting runtime: the kernel is reseeded, the trace file opened (a trace that
  // cannot be written ends the process with exit code 2, as `run` does) and the budgets, mutations,
  // record path and end hook set. Boot must have left nothing in flight and the clock where it started:
  // a seed always begins at the kernel's boot instant.
  void BeginSeed(SeedOptions seed);
  // A rehearsal while booting (the Node host's warm-up runs node's timers on the loop): decisions take
  // the plain choice, logged nowhere, and time passes. Its end, with nothing left in flight, puts the
  // clock back to the boot instant, the ids back to where they were and the boot chooser back.
  void BeginRehearsal();
  void EndRehearsal();
  // True from StartBooting to BeginSeed.
  bool booting() const { return booting_; }

  Kernel& kernel() { return kernel_; }
  Trace& trace() { return *trace_; }
  const RuntimeOptions& options() const { return options_; }

  // The CPU-time model: a callback from the loop returned (charge its running time), or JavaScript ran
  // between two calls of uv_run (the main script, beforeExit listeners).
  void ChargeCallback();
  void ChargeScript();

  uint64_t NextId() { return ++last_id_; }
  // Gives back the id NextId gave last (a handle that turned out to be the host's, uv/host_callbacks.h).
  void ReturnId(uint64_t id);

  // The simulated process environment (uv_os_*env*).
  std::vector<std::pair<std::string, std::string>>& env() { return env_; }
  std::string& process_title() { return process_title_; }
  // Work the host hands the loop's thread instead of threads of its own (V8's background tasks): run at
  // the start of every poll phase, before the loop waits.
  void set_host_work(std::function<void()> work) { host_work_ = std::move(work); }
  void RunHostWork() {
    if (host_work_) host_work_();
  }

  // The Node.js version that runs the program, for the run record ("" for plain libuv programs).
  void set_node_version(std::string version) { record_.node_version = std::move(version); }

  // Reports a hang or an unsupported call on stderr and ends the process with that stop's exit code,
  // after finishing the run.
  [[noreturn]] void Halt(Stop why, const std::string& message);

  // The program is over: the host has begun tearing itself down (it closed a handle it made while
  // booting, uv/handle.cc). The trace ends here and nothing later is decided, faulted or charged: what
  // the host does from now on is the same for every seed and reaches no program. The run record, which
  // needs the exit code, is written when the process ends (Finish). Runs once.
  void EndProgram();
  bool program_over() const { return program_over_; }

  // Where in the program the run's end was decided, for the run record (RunRecord::exit_frame and
  // stderr_frame: a JavaScript frame, or empty when unknown). The Node host sets them.
  void SetExitFrame(std::string frame) { record_.exit_frame = std::move(frame); }
  void SetStderrFrame(std::string frame) { record_.stderr_frame = std::move(frame); }
  // How an uncaught error ends the run (RunRecord::fatal): "exception" or "rejection".
  void SetFatal(std::string how) { record_.fatal = std::move(how); }
  // A test a framework's run ended (RunRecord::tests), as loopsim's reporter for it said.
  void AddTest(TestResult test) { record_.tests.push_back(std::move(test)); }

  // Ends the run before the process exits, whatever the reason: ends the program if that has not
  // happened yet, flushes stdio and writes the run record. `stop` is one of trace::stop's names.
  // Runs once; later calls do nothing.
  void Finish(std::string_view stop, int exit_code, const std::string& message = "");

 private:
  explicit Runtime(RuntimeOptions options);

  void OpenTrace();

  static inline Runtime* current_ = nullptr;  // the process's runtime, from Start to Shutdown

  RuntimeOptions options_;
  Kernel kernel_;
  std::unique_ptr<Trace> trace_ = std::make_unique<Trace>();
  bool booting_ = false;
  std::optional<SeedOptions> kept_seed_;  // StartBooting's, until TakeSeed
  // No kernel event pending, no thread-pool work queued or running (what booting must leave).
  bool NothingInFlight();

  uint64_t last_id_ = 0;
  uint64_t ids_before_rehearsal_ = 0;
  std::vector<std::pair<std::string, std::string>> env_;
  std::string process_title_ = "node";
  std::function<void()> on_main_returned_;
  std::function<void()> host_work_;
  bool finished_ = false;
  bool program_over_ = false;
  // The run record, filled in as the run goes (what the run was is taken when the program ends, how it
  // stopped when the process ends) and written by Finish.
  RunRecord record_;
};

// The virtual clock; before a runtime is started (libnode's static initialisers read the time), a clock
// standing at the boot instant.
const Clock& SimClock();

}  // namespace loopsim::runtime
