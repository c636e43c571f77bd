// See runtime.h.
#include "runtime/runtime.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>

#include "fakeos/base/check.h"
#include "fakeos/base/hash.h"
#include "runtime/uv/process.h"
#include "runtime/uv/threads.h"
#include "runtime/uv/version.h"

namespace loopsim::runtime {

bool SetTestMutation(TestMutations& m, const std::string& name) {
  if (name == "check-before-poll") m.check_before_poll = true;
  else if (name == "reverse-equal-timers") m.reverse_equal_timers = true;
  else if (name == "close-cb-in-check") m.close_cb_in_check = true;
  else if (name == "stale-loop-time") m.stale_loop_time = true;
  else if (name == "drop-shutdown-cb") m.drop_shutdown_cb = true;
  else if (name == "exit-before-end") m.exit_before_end = true;
  else return false;
  return true;
}

namespace {

// Boot must be the same for every seed, so it may not decide anything.
class BootChooser final : public Chooser {
 protected:
  uint64_t Decide(Site site, uint64_t n) override {
    LS_CHECK_MSG(false, "a nondeterministic decision was asked for while booting, before any seed began");
  }
};

}  // namespace

SeedOptions TakeSeedOptions(RuntimeOptions& options) {
  SeedOptions seed;
  seed.seed = options.kernel.seed;
  seed.chooser = std::move(options.kernel.chooser);
  seed.faults = options.kernel.faults;
  options.kernel.faults = FaultProfile::None();
  // The process keeps the budgets and mutations; the trace, the record and what runs at the end are the
  // seed's alone.
  RunOptions& run = options;
  static_cast<RunOptions&>(seed) = run;
  run.trace_path.clear();
  run.record_path.clear();
  run.on_finish = nullptr;
  return seed;
}

Runtime::Runtime(RuntimeOptions options)
    : options_(std::move(options)), kernel_(std::move(options_.kernel)), env_(kernel_.host().env) {
  kernel_.net().SetCrashHandler([](HostId host) { uv::CrashHost(host); });
}

void Runtime::OpenTrace() {
  trace_ = std::make_unique<Trace>();
  if (!trace_->Open(options_.trace_path)) {
    std::fprintf(stderr, "loopsim: cannot write the trace file %s\n", options_.trace_path.c_str());
    _exit(2);
  }
}

void Runtime::Start(RuntimeOptions options) {
  LS_CHECK_MSG(current_ == nullptr, "a runtime is already running");
  LS_CHECK_MSG(options.libuv_version >= uv::kOldestLibuvVersion && options.libuv_version <= uv::kNewestLibuvVersion,
               "the simulated libuv follows libuv 1.44.0 to 1.52.1 only");
  current_ = new Runtime(std::move(options));
  current_->kernel_.chooser().set_logging(current_->options_.record_decisions);
  current_->OpenTrace();
  CheckContext& c = GetCheckContext();
  c.seed = current_->kernel_.seed();
  c.active = true;
}

void Runtime::StartBooting(RuntimeOptions options) {
  SeedOptions seed = TakeSeedOptions(options);
  options.kernel.seed = kBootSeed;
  options.kernel.chooser = std::make_unique<BootChooser>();
  Start(std::move(options));
  current_->booting_ = true;
  current_->kept_seed_ = std::move(seed);
}

SeedOptions Runtime::TakeSeed() {
  LS_CHECK_MSG(kept_seed_.has_value(), "the kept seed was taken twice, or the runtime did not boot");
  SeedOptions seed = std::move(*kept_seed_);
  kept_seed_.reset();
  return seed;
}

void Runtime::BeginSeed(SeedOptions seed) {
  LS_CHECK_MSG(booting_, "a seed began on a runtime that was not booting");
  LS_CHECK_MSG(kernel_.clock().SinceBoot().ns == 0 && kernel_.chooser().log().empty(),
               "booting moved the virtual clock or made a decision");
  LS_CHECK_MSG(NothingInFlight(), "booting left work in flight");
  booting_ = false;
  kernel_.Reseed(seed.seed, std::move(seed.chooser), seed.faults);
  options_.kernel.seed = seed.seed;
  static_cast<RunOptions&>(options_) = std::move(static_cast<RunOptions&>(seed));
  kernel_.chooser().set_logging(options_.record_decisions);
  on_main_returned_ = std::move(seed.on_main_returned);
  record_.schedule.script = std::move(seed.script);
  if (seed.stdin_bytes) {
    record_.stdin_file = seed.stdin_name;
    record_.stdin_hash = Fnv1a64(*seed.stdin_bytes);
    kernel_.vfs().SetStdin(std::move(*seed.stdin_bytes));
  }
  OpenTrace();
  GetCheckContext().seed = seed.seed;
  GetCheckContext().trace_step = 0;
}

bool Runtime::NothingInFlight() {
  return !kernel_.HasPendingEvents() && kernel_.thread_pool().busy() == 0 && kernel_.thread_pool().queued() == 0;
}

void Runtime::BeginRehearsal() {
  LS_CHECK_MSG(booting_ && kernel_.clock().SinceBoot().ns == 0, "a rehearsal outside booting, or a second one");
  ids_before_rehearsal_ = last_id_;
  kernel_.chooser().set_logging(false);
  kernel_.chooser().Reset(std::make_unique<PlainChooser>());
}

void Runtime::EndRehearsal() {
  LS_CHECK_MSG(NothingInFlight(), "the rehearsal left work in flight");
  kernel_.chooser().Reset(std::make_unique<BootChooser>());
  kernel_.chooser().set_logging(options_.record_decisions);
  kernel_.clock().RewindToBoot();
  last_id_ = ids_before_rehearsal_;
}

void Runtime::ReturnId(uint64_t id) {
  LS_CHECK_MSG(id == last_id_ && id != 0, "an id was given back that was not the last one given");
  --last_id_;
}

const Clock& SimClock() {
  static const Clock boot_clock;
  return Runtime::Started() ? Runtime::Get().kernel().clock() : boot_clock;
}

void Runtime::Shutdown() {
  delete current_;
  current_ = nullptr;
  GetCheckContext().active = false;
}

// Callbacks mostly take a few to a few tens of microseconds; one in four takes up to a millisecond, so
// the schedules include ones where time moves past a timer's deadline while a callback runs.
void Runtime::ChargeCallback() {
  if (program_over_) return;
  if (uv::ThreadsStarted() && uv::CurrentThreadExiting()) return;
  const uint64_t v = kernel_.chooser().Choose(Site::kCpuCost, 16);
  const int64_t us = v < 12 ? static_cast<int64_t>(v) * 8 : static_cast<int64_t>(v - 11) * 250;
  kernel_.clock().Advance(Microseconds(us));
  GetCheckContext().trace_step = trace_->events();
  if (uv::ThreadsStarted()) uv::YieldTurn();
}

// The main script (and later beforeExit listeners) take between 0 and 3.1 ms: on either side of the
// 1 ms a top-level setTimeout(f, 0) needs to be due in the first timers phase, as on a real machine.
void Runtime::ChargeScript() {
  if (program_over_) return;
  if (on_main_returned_) {
    on_main_returned_();
    on_main_returned_ = nullptr;
  }
  const uint64_t v = kernel_.chooser().Choose(Site::kScriptCost, 32);
  kernel_.clock().Advance(Microseconds(static_cast<int64_t>(v) * 100));
}

void Runtime::EndProgram() {
  if (program_over_) return;
  program_over_ = true;
  record_.schedule.decisions = kernel_.chooser().TakeLog();
  record_.trace_hash = trace_->hash();
  record_.trace_events = trace_->events();
  record_.virtual_ns = kernel_.clock().SinceBoot().ns;
  trace_->Close();
  trace_ = std::make_unique<Trace>();  // what the host does from here on is traced nowhere
  kernel_.FreezeChoices();
}

void Runtime::Finish(std::string_view stop, int exit_code, const std::string& message) {
  if (finished_) return;
  finished_ = true;
  std::fflush(stdout);
  std::fflush(stderr);
  EndProgram();
  if (options_.record_path.empty()) {
    if (options_.on_finish) options_.on_finish(stop, exit_code);
    return;
  }
  record_.schedule.seed = kernel_.seed();
  record_.stop = std::string(stop);
  record_.exit_code = exit_code;
  record_.message = message;
  const std::string json = RunRecordToJson(record_);
  if (std::FILE* f = std::fopen(options_.record_path.c_str(), "w")) {
    std::fwrite(json.data(), 1, json.size(), f);
    std::fclose(f);
  }
  if (options_.on_finish) options_.on_finish(stop, exit_code);
}

void Runtime::Halt(Stop why, const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "loopsim: %s\n", message.c_str());
  Finish(why == Stop::kHang ? trace::stop::kHang : trace::stop::kUnsupported, static_cast<int>(why), message);
  _exit(static_cast<int>(why));
}

}  // namespace loopsim::runtime
