// See invariants.h. One pass over the trace: each rule keeps the little state it needs (what is queued,
// which timers are active, which handles are closed) and reports the trace lines that break it. Rules that
// compare orders across the whole run (tick-before-microtask) are decided at the end.
#include "sim/invariants.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/host_files.h"
#include "sim/lines.h"
#include "sim/trace_events.h"

namespace loopsim::sim {

namespace {

using nlohmann::json;

constexpr int64_t kNsPerMs = 1'000'000;

// Phase ranks within one iteration, doubled so the pending runs right after poll (libuv runs pending
// work again a few times after polling) and a timers pass after the rest of the iteration fit between
// libuv's own phases. That last pass is UV_RUN_ONCE's extra one up to libuv 1.44, and the timers that
// end a UV_RUN_ONCE or UV_RUN_NOWAIT iteration from 1.45 (runtime/uv/loop.cc says how the trace
// numbers iterations under each version).
enum Rank : int {
  kTimers = 0, kPending = 2, kIdle = 4, kPrepare = 6, kPoll = 8, kPendingAfterPoll = 9, kCheck = 10,
  kClosing = 12, kTimersAgain = 14, kOutside = 16, kUnknown = -1,
};

namespace key = trace::key;
namespace event = trace::event;
namespace program = trace::program;
namespace pkey = trace::program::key;
using trace::Phase;

// The name of a phase as the trace writes it.
std::string Named(Phase phase) { return std::string(trace::PhaseName(phase)); }

int BaseRank(const std::string& phase) {
  const std::optional<Phase> p = trace::PhaseFromName(phase);
  if (!p) return kUnknown;
  switch (*p) {
    case Phase::kTimers: return kTimers;
    case Phase::kPending: return kPending;
    case Phase::kIdle: return kIdle;
    case Phase::kPrepare: return kPrepare;
    case Phase::kPoll: return kPoll;
    case Phase::kCheck: return kCheck;
    case Phase::kClosing: return kClosing;
    case Phase::kOutside: return kOutside;
  }
  return kUnknown;
}

// A job of the JavaScript queues (process.nextTick, queueMicrotask, promise reaction), as the preload
// names it: its kind and id.
using JobKey = std::pair<std::string, int64_t>;

struct QueuedJob {
  size_t queued_line = 0;
  size_t run_line = 0;  // 0 while it has not run
  std::string ctx;      // the execution that queued it
  bool ctx_is_microtask = false;
};

struct ActiveTimer {
  uint64_t due = 0;
  uint64_t start = 0;
  size_t line = 0;
};

struct JsTimeout {
  size_t queued_line = 0;
  int64_t anchor_ms = 0;  // virtual ms its current period started at
  int64_t duration_ms = 0;
  bool repeat = false;
};

struct Immediate {
  size_t line = 0;
  uint64_t iteration = 0;
  std::string phase;
  int rank = kUnknown;  // of the phase within its iteration (a last timers pass is kTimersAgain)
};

// The loop events that start a callback into the program: a handle's or request's callback, a close
// callback, and the socket events traced just before their callback (a stream read or end of file, a
// connection to a listener, a UDP datagram).
bool IsCallbackStart(std::string_view ev) {
  return ev == event::kCallback || ev == event::kCloseCallback || ev == event::kRead || ev == event::kConnection ||
         ev == event::kRecv;
}

// Checks the events of one thread's loop: each thread has its own loop, and the rules hold per loop.
class Checker {
 public:
  Checker(const std::vector<std::string_view>& lines, uint32_t thread, const CheckOptions& options)
      : lines_(lines), thread_(thread), options_(options) {}

  CheckResult Run() {
    result_.events = lines_.size();
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (TraceThreadOf(lines_[i]) != thread_) continue;
      const std::optional<TraceEvent> e = ParseTraceEvent(lines_[i]);
      if (!e) {
        result_.parse_error = "trace line " + std::to_string(i + 1) + " is not a trace event";
        result_.violations.clear();
        return result_;
      }
      Step(i + 1, *e);
    }
    FinishIterationTimers(lines_.size());
    CheckTickOrder();
    return result_;
  }

 private:
  void Report(const std::string& invariant, const std::string& message, std::vector<size_t> lines) {
    size_t& count = reported_[invariant];
    if (count >= options_.max_per_invariant) return;
    ++count;
    Violation v;
    v.invariant = invariant;
    v.message = message;
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    for (size_t line : lines) {
      if (line >= 1 && line <= lines_.size()) v.lines.emplace_back(line, std::string(lines_[line - 1]));
    }
    result_.violations.push_back(std::move(v));
  }

  static std::string Line(size_t line) { return "line " + std::to_string(line); }

  void Step(size_t line, const TraceEvent& traced) {
    const json& e = traced.json;
    const int64_t t = traced.t_ns;
    const uint64_t iteration = traced.iteration;
    const std::string& phase = traced.phase;
    const std::string& ev = traced.event;
    const int rank = PhaseOrder(line, iteration, phase);

    if (rank != kUnknown && (iteration != timers_iteration_ || rank > kTimers)) FinishIterationTimers(line);

    if (ev.rfind(event::kProgramPrefix, 0) == 0) {
      ++result_.program_events;
      ProgramEvent(line, t, iteration, phase, rank, ev.substr(event::kProgramPrefix.size()), e);
      return;
    }
    if (IsCallbackStart(ev)) Boundary(line);
    if (e.contains(key::kId)) HandleEvent(line, t, iteration, phase, ev, e);
    if (e.contains(key::kReq)) RequestEvent(line, ev, e[key::kReq].get<int64_t>(), traced.kind);
    if (ev == event::kLoopTime) LoopTime(line, t, iteration, e);
    if (ev == event::kLoopEmpty) LoopEmpty(line);
  }

  // phase-order. Returns the event's rank in its iteration.
  int PhaseOrder(size_t line, uint64_t iteration, const std::string& phase) {
    int rank = BaseRank(phase);
    // libuv lets synchronous fs requests come without a loop; they are traced outside any iteration.
    if (rank == kOutside && iteration == 0 && iteration_ > 0) return kUnknown;
    if (iteration < iteration_) {
      Report("phase-order", "iteration " + std::to_string(iteration) + " comes after iteration " +
                                std::to_string(iteration_),
             {phase_line_, line});
      return rank;
    }
    if (iteration > iteration_) {
      iteration_ = iteration;
      rank_ = -1;
    }
    if (rank == kPending && rank_ >= kPoll && rank_ <= kPendingAfterPoll) rank = kPendingAfterPoll;
    // libuv runs no timers between its poll and the end of the iteration but that last pass, so a
    // timers phase after the poll phase is it (even when the check and closing phases traced nothing).
    if (rank == kTimers && rank_ >= kPoll && rank_ <= kTimersAgain) rank = kTimersAgain;
    if (rank != kUnknown && rank < rank_) {
      Report("phase-order", "the " + phase + " phase comes after the " + phase_name_ + " phase in iteration " +
                                std::to_string(iteration),
             {phase_line_, line});
    }
    if (rank != kUnknown) {
      rank_ = rank;
      phase_name_ = phase;
      phase_line_ = line;
    }
    return rank;
  }

  // tick-drain: a callback starts; nothing queued before it may still wait.
  void Boundary(size_t line) {
    // After an exception a handler caught, Node runs the next timer or immediate before the thrower's
    // ticks, and a throw inside the tick queue leaves the rest of it for the next callback: the rule
    // waits until the queues drain again.
    if (after_throw_ || exiting_) return;
    if (pending_.empty()) return;
    const auto& [queued_line, key] = *pending_.begin();
    const std::string what = key.first == program::job::kTick        ? "process.nextTick callback"
                             : key.first == program::job::kMicrotask ? "queueMicrotask callback"
                                                                     : "promise reaction";
    Report("tick-drain", "a " + what + " queued at " + Line(queued_line) + " had not run when the callback at " +
                             Line(line) + " started (the queues were not drained after the previous callback)",
           {queued_line, line});
    // Report the cause once, not every later callback.
    for (const auto& [l, k] : pending_) pending_lines_.erase(k);
    pending_.clear();
  }

  void ProgramEvent(size_t line, int64_t t, uint64_t iteration, const std::string& phase, int rank,
                    const std::string& name, const json& e) {
    if (name == program::kQueue) {
      JobKey key{e.value(pkey::kJob, ""), e.value(pkey::kId, int64_t{0})};
      if (jobs_.count(key) != 0) return;
      QueuedJob& job = jobs_[key];
      job.queued_line = line;
      job.ctx = std::to_string(e.value(pkey::kContext, int64_t{0})) + "." +
                std::to_string(e.value(pkey::kContextSerial, int64_t{0}));
      job.ctx_is_microtask = e.value(pkey::kContextKind, "") == program::context::kMicrotask;
      pending_[line] = key;
      pending_lines_[key] = line;
    } else if (name == program::kRun) {
      after_throw_ = false;
      JobKey key{e.value(pkey::kJob, ""), e.value(pkey::kId, int64_t{0})};
      auto it = jobs_.find(key);
      if (it == jobs_.end() || it->second.run_line != 0) return;
      it->second.run_line = line;
      auto p = pending_lines_.find(key);
      if (p != pending_lines_.end()) {
        pending_.erase(p->second);
        pending_lines_.erase(p);
      }
    } else if (name == program::kExit) {
      // A thread that exits runs no more of the program's jobs (a worker's or a child process's loop
      // may still close its handles).
      exiting_ = true;
      pending_.clear();
      pending_lines_.clear();
    } else if (name == program::kThrow) {
      after_throw_ = true;
      last_throw_ = Immediate{line, iteration, phase, rank};
    } else if (name == program::kImmediateQueue) {
      immediates_[e.value(pkey::kId, int64_t{0})] = Immediate{line, iteration, phase, rank};
    } else if (name == program::kImmediateRun) {
      Boundary(line);
      ImmediateRuns(line, iteration, e.value(pkey::kId, int64_t{0}));
    } else if (name == program::kTimeoutQueue) {
      JsTimeout& timeout = timeouts_[e.value(pkey::kId, int64_t{0})];
      timeout.queued_line = line;
      timeout.anchor_ms = t / kNsPerMs;
      const double duration = e.value(pkey::kDuration, 1.0);
      timeout.duration_ms = std::isfinite(duration) ? static_cast<int64_t>(std::trunc(duration)) : 1;
      timeout.repeat = e.value(pkey::kRepeat, 0) != 0;
    } else if (name == program::kTimeoutRun) {
      Boundary(line);
      TimeoutRuns(line, t, e.value(pkey::kId, int64_t{0}), e.value(pkey::kStart, int64_t{-1}));
    }
  }

  // immediate-iteration and immediate-fifo.
  void ImmediateRuns(size_t line, uint64_t iteration, int64_t id) {
    auto it = immediates_.find(id);
    if (it == immediates_.end()) return;
    const Immediate q = it->second;
    immediates_.erase(it);
    const int rank = q.rank == kUnknown ? BaseRank(q.phase) : q.rank;
    const bool next_iteration = rank == kCheck || rank == kClosing || rank == kTimersAgain || rank == kOutside;
    const uint64_t expected = q.iteration + (next_iteration ? 1 : 0);
    // After a throw in the check phase Node runs the immediates the handler queued in the same phase.
    const bool queued_after_throw = q.phase == Named(Phase::kCheck) && last_throw_.phase == Named(Phase::kCheck) &&
                                    last_throw_.iteration == q.iteration && last_throw_.line < q.line;
    if (iteration != expected && !(queued_after_throw && iteration == q.iteration)) {
      std::string when = q.phase == Named(Phase::kOutside) ? "between iterations" : "in the " + q.phase + " phase";
      Report("immediate-iteration", "an immediate queued " + when + " of iteration " + std::to_string(q.iteration) +
                                        " ran in iteration " + std::to_string(iteration) + ", not " +
                                        std::to_string(expected),
             {q.line, line});
    }
    if (q.line < last_immediate_queued_line_) {
      Report("immediate-fifo", "an immediate queued at " + Line(q.line) + " ran after one queued later, at " +
                                   Line(last_immediate_queued_line_),
             {q.line, last_immediate_queued_line_, last_immediate_run_line_, line});
    }
    last_immediate_queued_line_ = std::max(last_immediate_queued_line_, q.line);
    last_immediate_run_line_ = line;
  }

  // timer-not-early and timer-start-order for JS timers.
  void TimeoutRuns(size_t line, int64_t t, int64_t id, int64_t start) {
    auto it = timeouts_.find(id);
    if (it == timeouts_.end()) return;
    JsTimeout& timeout = it->second;
    const int64_t now_ms = t / kNsPerMs;
    if (now_ms - timeout.anchor_ms < timeout.duration_ms) {
      Report("timer-not-early", "a JS timer of " + std::to_string(timeout.duration_ms) + " ms fired " +
                                    std::to_string(now_ms - timeout.anchor_ms) + " ms after it was set (" +
                                    Line(timeout.queued_line) + ")",
             {timeout.queued_line, line});
    }
    if (!timeout.repeat) {
      // One duration's timeouts wait in one list, appended as they start (refresh() appends one again):
      // they fire in the order of their start times. Of equal starts the list order decides, which
      // refresh() changes unseen, so equal starts are not compared.
      LastTimeout& last = last_timeout_of_duration_[timeout.duration_ms];
      if (last.run_line != 0 && start < last.start) {
        Report("timer-start-order", "a " + std::to_string(timeout.duration_ms) + " ms timeout started at " +
                                        std::to_string(start) + " ms fired after one started at " +
                                        std::to_string(last.start) + " ms",
               {timeout.queued_line, last.queued_line, last.run_line, line});
      }
      last.start = start;
      last.queued_line = timeout.queued_line;
      last.run_line = line;
      timeouts_.erase(it);
    } else {
      timeout.anchor_ms = now_ms;
    }
  }

  void HandleEvent(size_t line, int64_t t, uint64_t iteration, const std::string& phase, const std::string& ev,
                   const json& e) {
    const int64_t id = e[key::kId].get<int64_t>();
    auto closed = closed_.find(id);
    if (closed != closed_.end()) {
      Report("use-after-close", "handle " + std::to_string(id) + " has a '" + ev + "' event after its close callback",
             {closed->second, line});
    }
    const std::string kind = e.value(key::kKind, "");
    if (ev == event::kClose) {
      if (closing_.count(id) != 0) {
        Report("close-phase", "handle " + std::to_string(id) + " was closed twice", {closing_[id], line});
      }
      closing_[id] = line;
      if (kind == trace::kind::kTimer) ForgetTimer(id);
    } else if (ev == event::kCloseCallback) {
      if (phase != Named(Phase::kClosing)) {
        Report("close-phase", "the close callback of handle " + std::to_string(id) + " ran in the " + phase +
                                  " phase, not the closing phase",
               {line});
      }
      auto it = closing_.find(id);
      if (it == closing_.end()) {
        Report("close-phase", "handle " + std::to_string(id) + " got a close callback without being closed", {line});
      } else {
        closing_.erase(it);
      }
      closed_[id] = line;
    }
    if (kind != trace::kind::kTimer) return;
    if (ev == event::kTimerStart) {
      ForgetTimer(id);
      active_timers_[id] = ActiveTimer{e.value(key::kDue, uint64_t{0}), e.value(key::kStart, uint64_t{0}), line};
      const uint64_t now = e.value(key::kNow, uint64_t{0});
      LoopTimeSeen(line, now);
      if (static_cast<int64_t>(now) > t / kNsPerMs) {
        Report("loop-time", "the loop time " + std::to_string(now) + " ms is ahead of the virtual clock",
               {line});
      }
    } else if (ev == event::kTimerStop) {
      ForgetTimer(id);
    } else if (ev == event::kCallback) {
      TimerFires(line, t, iteration, phase, id, e);
    }
  }

  void ForgetTimer(int64_t id) {
    active_timers_.erase(id);
    due_at_start_.erase(id);
  }

  // timer-not-early and timer-start-order for libuv timers.
  void TimerFires(size_t line, int64_t t, uint64_t iteration, const std::string& phase, int64_t id, const json& e) {
    if (!e.contains(key::kDue)) return;
    const uint64_t due = e[key::kDue].get<uint64_t>();
    const uint64_t start = e.value(key::kStart, uint64_t{0});
    const uint64_t now = e.value(key::kNow, due);
    LoopTimeSeen(line, now);
    if (due > now || static_cast<int64_t>(due) > t / kNsPerMs) {
      Report("timer-not-early", "timer " + std::to_string(id) + " due at " + std::to_string(due) +
                                    " ms fired at loop time " + std::to_string(now) + " ms",
             {line});
    }
    const std::tuple<uint64_t, std::string, uint64_t, uint64_t> pass{iteration, phase, due, start};
    if (std::get<0>(last_fired_) == iteration && std::get<1>(last_fired_) == phase &&
        std::make_pair(due, start) <= std::make_pair(std::get<2>(last_fired_), std::get<3>(last_fired_))) {
      Report("timer-start-order", "timer " + std::to_string(id) + " (due " + std::to_string(due) + " ms, start " +
                                      std::to_string(start) + ") fired after one due at " +
                                      std::to_string(std::get<2>(last_fired_)) + " ms with start " +
                                      std::to_string(std::get<3>(last_fired_)),
             {last_fired_line_, line});
    }
    last_fired_ = pass;
    last_fired_line_ = line;
    auto active = active_timers_.find(id);
    // A repeating timer was already restarted (its timer_start precedes the callback); keep that start.
    if (active != active_timers_.end() && active->second.start == start) active_timers_.erase(active);
    auto due_now = due_at_start_.find(id);
    if (due_now != due_at_start_.end() && due_now->second.start == start) due_at_start_.erase(due_now);
  }

  // loop-time.
  void LoopTimeSeen(size_t line, uint64_t now) {
    if (now < loop_now_) {
      Report("loop-time", "the loop time went back from " + std::to_string(loop_now_) + " to " +
                              std::to_string(now) + " ms",
             {loop_now_line_, line});
    }
    if (now >= loop_now_) {
      loop_now_ = now;
      loop_now_line_ = line;
    }
  }

  void LoopTime(size_t line, int64_t t, uint64_t iteration, const json& e) {
    const uint64_t now = e.value(key::kNow, uint64_t{0});
    const std::string by = e.value(key::kBy, "");
    LoopTimeSeen(line, now);
    if (static_cast<int64_t>(now) != t / kNsPerMs) {
      Report("loop-time", "the loop time is " + std::to_string(now) + " ms where libuv updates it (" + by +
                              ") but the clock reads " + std::to_string(t / kNsPerMs) + " ms",
             {line});
    }
    if (by != trace::by::kIteration) return;
    // Every timer due now must fire in this timers phase (unless a callback stops it first).
    FinishIterationTimers(line);
    timers_iteration_ = iteration;
    iteration_start_line_ = line;
    const uint64_t clock_ms = static_cast<uint64_t>(t / kNsPerMs);
    for (const auto& [id, timer] : active_timers_) {
      if (timer.due <= clock_ms) due_at_start_[id] = timer;
    }
  }

  void FinishIterationTimers(size_t line) {
    if (due_at_start_.empty()) return;
    const auto& [id, timer] = *due_at_start_.begin();
    Report("loop-time", "timer " + std::to_string(id) + " (due " + std::to_string(timer.due) +
                            " ms) was due when iteration " + std::to_string(timers_iteration_) +
                            " began but did not fire in its timers phase (stale loop time?)",
           {timer.line, iteration_start_line_, line});
    due_at_start_.clear();
  }

  // request-once.
  void RequestEvent(size_t line, const std::string& ev, int64_t req, const std::string& kind) {
    if (ev == event::kSubmit) {
      submitted_[req] = line;
      in_flight_[req] = InFlight{line, kind};
    } else if (ev == event::kCallback) {
      auto done = completed_.find(req);
      if (done != completed_.end()) {
        Report("request-once", "request " + std::to_string(req) + " completed twice", {done->second, line});
        return;
      }
      if (submitted_.count(req) == 0) {
        Report("request-once", "request " + std::to_string(req) + " completed without being submitted", {line});
      }
      completed_[req] = line;
      in_flight_.erase(req);
    }
  }

  // request-once: a loop with nothing left to do has no request in flight, so every request submitted
  // so far has completed (or was cancelled, which completes it with UV_ECANCELED).
  void LoopEmpty(size_t line) {
    if (in_flight_.empty()) return;
    const auto& [req, r] = *in_flight_.begin();
    Report("request-once", "the loop ran out of work with " + std::to_string(in_flight_.size()) +
                               " request(s) never completed, the first a " + r.kind + " request (" +
                               std::to_string(req) + ") submitted at " + Line(r.line) +
                               ": its callback was lost",
           {r.line, line});
    in_flight_.clear();
  }

  // tick-before-microtask: of the jobs one execution queued (and all of them queued before any of them
  // ran), ticks run before microtasks, or after them when the execution was a microtask itself.
  void CheckTickOrder() {
    std::map<std::string, std::vector<const QueuedJob*>> ticks, micro;
    for (const auto& [key, job] : jobs_) {
      if (job.run_line == 0) continue;
      (key.first == program::job::kTick ? ticks : micro)[job.ctx].push_back(&job);
    }
    constexpr size_t kMaxPerContext = 256;  // enough to find a broken order, bounded work
    for (const auto& [ctx, tick_jobs] : ticks) {
      auto m = micro.find(ctx);
      if (m == micro.end()) continue;
      for (size_t i = 0; i < tick_jobs.size() && i < kMaxPerContext; ++i) {
        for (size_t k = 0; k < m->second.size() && k < kMaxPerContext; ++k) {
          const QueuedJob& tick = *tick_jobs[i];
          const QueuedJob& mt = *m->second[k];
          if (std::max(tick.queued_line, mt.queued_line) > std::min(tick.run_line, mt.run_line)) continue;
          const bool microtask_first = tick.ctx_is_microtask;
          if (microtask_first ? tick.run_line < mt.run_line : mt.run_line < tick.run_line) {
            Report("tick-before-microtask",
                   microtask_first ? "a microtask queued a tick and a microtask; the tick ran first"
                                   : "code queued a tick and a microtask; the microtask ran first",
                   {tick.queued_line, mt.queued_line, tick.run_line, mt.run_line});
            return;
          }
        }
      }
    }
  }

  const std::vector<std::string_view>& lines_;
  const uint32_t thread_;
  CheckOptions options_;
  CheckResult result_;
  std::map<std::string, size_t> reported_;

  uint64_t iteration_ = 0;
  int rank_ = -1;
  std::string phase_name_ = Named(Phase::kOutside);
  size_t phase_line_ = 0;

  std::map<JobKey, QueuedJob> jobs_;
  std::map<size_t, JobKey> pending_;        // queued, not yet run: by the line that queued them
  std::map<JobKey, size_t> pending_lines_;  // the same, by job

  std::map<int64_t, Immediate> immediates_;
  size_t last_immediate_queued_line_ = 0;
  size_t last_immediate_run_line_ = 0;
  std::map<int64_t, JsTimeout> timeouts_;
  struct LastTimeout {
    int64_t start = 0;  // JS loop ms
    size_t queued_line = 0;
    size_t run_line = 0;
  };
  std::map<int64_t, LastTimeout> last_timeout_of_duration_;
  bool after_throw_ = false;
  bool exiting_ = false;  // the thread emitted 'exit'
  Immediate last_throw_;

  std::map<int64_t, size_t> closing_;  // handle -> its close line
  std::map<int64_t, size_t> closed_;   // handle -> its close_cb line
  std::map<int64_t, size_t> submitted_;
  std::map<int64_t, size_t> completed_;
  struct InFlight {
    size_t line = 0;
    std::string kind;
  };
  std::map<int64_t, InFlight> in_flight_;  // submitted, not completed: by request id

  std::map<int64_t, ActiveTimer> active_timers_;
  std::map<int64_t, ActiveTimer> due_at_start_;
  uint64_t timers_iteration_ = 0;
  size_t iteration_start_line_ = 0;
  std::tuple<uint64_t, std::string, uint64_t, uint64_t> last_fired_{UINT64_MAX, "", 0, 0};
  size_t last_fired_line_ = 0;
  uint64_t loop_now_ = 0;
  size_t loop_now_line_ = 0;
};

// process-exit: a child process's lifecycle as its parent sees it. Its thread's first event names it
// (process_start), its last one says it ended (process_end); its parent's exit callback for it (a
// "process" callback with its pid) comes once, after that end, and nothing of the child's thread comes
// after it.
std::vector<Violation> CheckProcessExits(const std::vector<std::string_view>& lines) {
  std::vector<Violation> found;
  std::map<uint32_t, int64_t> pid_of_thread;
  std::map<int64_t, size_t> ended, reported;  // pid -> line
  auto report = [&](const std::string& message, std::vector<size_t> at) {
    Violation v;
    v.invariant = "process-exit";
    v.message = message;
    for (size_t line : at) v.lines.emplace_back(line + 1, std::string(lines[line]));
    found.push_back(std::move(v));
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const uint32_t thread = TraceThreadOf(line);
    auto owner = pid_of_thread.find(thread);
    if (owner != pid_of_thread.end() && ended.count(owner->second) != 0) {
      report("process " + std::to_string(owner->second) + " has an event after it ended", {ended[owner->second], i});
      pid_of_thread.erase(owner);  // reported once
      continue;
    }
    if (line.find(trace::kind::kProcess) == std::string_view::npos) continue;  // cheap: most lines
    const std::optional<TraceEvent> e = ParseTraceEvent(line);
    if (!e || !e->json.contains(trace::key::kPid)) continue;
    const bool start = e->event == trace::event::kProcessStart;
    const bool end = e->event == trace::event::kProcessEnd;
    const bool exit_cb = e->event == trace::event::kCallback && e->kind == trace::kind::kProcess;
    if (!start && !end && !exit_cb) continue;
    const int64_t pid = e->json.value(std::string(trace::key::kPid), int64_t{0});
    if (start) pid_of_thread[thread] = pid;
    if (end) ended[pid] = i;
    if (!exit_cb) continue;
    if (ended.count(pid) == 0) {
      report("the exit of process " + std::to_string(pid) + " reached its parent before the process ended", {i});
    } else if (reported.count(pid) != 0) {
      report("the exit of process " + std::to_string(pid) + " reached its parent twice", {reported[pid], i});
    }
    reported[pid] = i;
  }
  return found;
}

// message-order: a port delivers the messages queued for it in the order they were queued, each once.
// A port is named by its async handle: a send (the check preload's msg_send) queues its message for the
// ports whose handles the runtime traces it waking (async_send, before the sending thread's next program
// event), numbered per handle in trace order, which is the order their queue holds them (the sends of
// all threads go one at a time). A receipt (msg_recv) belongs to the port whose async callback is
// running on its thread. Messages are matched by their digest: a receipt takes the first send to its port
// after the last one taken that has its digest. When there is none, an earlier one still unreceived means
// the order broke, an earlier one received means it came twice. What the trace cannot place is passed
// over: a send that woke no handle (its port was on its way to another thread, closed, or had no peer)
// goes to a pool any receipt of its digest may come from (preferred over skipping sends), and a receipt
// of a digest its port was never sent is some message the trace did not see sent.
class MessageOrder {
 public:
  explicit MessageOrder(const std::vector<std::string_view>& lines) : lines_(lines) {}

  std::vector<Violation> Run() {
    for (size_t i = 0; i < lines_.size(); ++i) Step(i);
    return std::move(found_);
  }

 private:
  struct Send {
    uint32_t digest = 0;
    size_t line = 0;      // 0-based, as every line here
    size_t received = 0;  // the receipt's line + 1; 0 while unreceived
  };
  struct Port {
    std::vector<Send> sends;
    size_t next = 0;  // sends before this one are taken or passed over
  };
  struct Thread {
    uint64_t async_callback = 0;  // the async handle whose callback runs, 0 for none
    bool sending = false;         // between a msg_send and the thread's next program event
    Send send;
    size_t woken = 0;             // handles the send woke
  };

  // The event name, read without parsing the line (the writer puts it before the event's own fields).
  static std::string_view EventOf(std::string_view line) {
    static constexpr std::string_view kEventKey = "\"ev\":\"";
    const size_t at = line.find(kEventKey);
    if (at == std::string_view::npos) return {};
    const size_t begin = at + kEventKey.size();
    return line.substr(begin, line.find('"', begin) - begin);
  }

  void Step(size_t i) {
    const std::string_view ev = EventOf(lines_[i]);
    Thread& thread = threads_[TraceThreadOf(lines_[i])];
    if (ev.rfind(event::kProgramPrefix, 0) == 0) {
      EndSend(thread);
      const std::string_view name = ev.substr(event::kProgramPrefix.size());
      if (name != program::kMessageSend && name != program::kMessageReceive) return;
      const std::optional<TraceEvent> e = ParseTraceEvent(lines_[i]);
      if (!e) return;
      const uint32_t digest = e->json.value(pkey::kDigest, uint32_t{0});
      if (name == program::kMessageReceive) return Receive(i, thread, digest);
      thread.sending = true;
      thread.send = Send{digest, i, 0};
      thread.woken = 0;
    } else if (ev == event::kAsyncSend) {
      if (!thread.sending) return;
      const std::optional<TraceEvent> e = ParseTraceEvent(lines_[i]);
      if (!e) return;
      ports_[e->json.value(key::kTo, uint64_t{0})].sends.push_back(thread.send);
      ++thread.woken;
    } else if (IsCallbackStart(ev)) {
      thread.async_callback = 0;
      if (ev != event::kCallback || lines_[i].find(kAsyncKind) == std::string_view::npos) return;
      const std::optional<TraceEvent> e = ParseTraceEvent(lines_[i]);
      if (e && e->kind == trace::kind::kAsync) thread.async_callback = e->id;
    }
  }

  void EndSend(Thread& thread) {
    if (thread.sending && thread.woken == 0) ++pool_[thread.send.digest];
    thread.sending = false;
  }

  void Receive(size_t line, Thread& thread, uint32_t digest) {
    if (thread.async_callback == 0) return;  // not delivered from a port's wake-up
    Port& port = ports_[thread.async_callback];
    std::vector<Send>& sends = port.sends;
    size_t next = port.next;
    while (next < sends.size() && sends[next].digest != digest) ++next;
    auto pooled = pool_.find(digest);
    const bool in_order = next == port.next && next < sends.size();
    if (!in_order && pooled != pool_.end() && pooled->second > 0) {
      --pooled->second;
      return;
    }
    if (next < sends.size()) {
      sends[next].received = line + 1;
      port.next = next + 1;
      return;
    }
    for (size_t k = 0; k < port.next; ++k) {
      Send& earlier = sends[k];
      if (earlier.digest != digest || earlier.received != 0) continue;
      const Send& later = sends[port.next - 1];
      Report("a message sent at " + Line(earlier.line) + " to the port of async handle " +
                 std::to_string(thread.async_callback) + " was delivered at " + Line(line) +
                 ", after one sent to it later (at " + Line(later.line) + ", delivered at " +
                 Line(later.received - 1) + "): a port delivers messages in the order they were sent",
             {earlier.line, later.line, later.received - 1, line});
      earlier.received = line + 1;
      return;
    }
    for (size_t k = port.next; k-- > 0;) {
      const Send& earlier = sends[k];
      if (earlier.digest != digest) continue;
      Report("a message sent at " + Line(earlier.line) + " to the port of async handle " +
                 std::to_string(thread.async_callback) + " was delivered twice, at " +
                 Line(earlier.received - 1) + " and at " + Line(line),
             {earlier.line, earlier.received - 1, line});
      return;
    }
  }

  static std::string Line(size_t line) { return "line " + std::to_string(line + 1); }

  void Report(const std::string& message, std::vector<size_t> at) {
    Violation v;
    v.invariant = "message-order";
    v.message = message;
    std::sort(at.begin(), at.end());
    for (size_t line : at) v.lines.emplace_back(line + 1, std::string(lines_[line]));
    found_.push_back(std::move(v));
  }

  static constexpr std::string_view kAsyncKind = "\"kind\":\"async\"";

  const std::vector<std::string_view>& lines_;
  std::map<uint32_t, Thread> threads_;
  std::map<uint64_t, Port> ports_;         // by async handle id
  std::map<uint32_t, size_t> pool_;        // sends that woke no handle: how many of each digest
  std::vector<Violation> found_;
};

}  // namespace

CheckResult CheckTrace(std::string_view trace, const CheckOptions& options) {
  const std::vector<std::string_view> lines = SplitLines(trace);
  std::set<uint32_t> threads = {0};
  for (std::string_view line : lines) threads.insert(TraceThreadOf(line));
  CheckResult result;
  std::map<std::string, size_t> reported;
  for (uint32_t thread : threads) {
    CheckResult one = Checker(lines, thread, options).Run();
    if (!one.parse_error.empty()) return one;
    result.events = one.events;
    result.program_events += one.program_events;
    for (Violation& v : one.violations) {
      if (reported[v.invariant]++ < options.max_per_invariant) result.violations.push_back(std::move(v));
    }
  }
  for (Violation& v : CheckProcessExits(lines)) {
    if (reported[v.invariant]++ < options.max_per_invariant) result.violations.push_back(std::move(v));
  }
  for (Violation& v : MessageOrder(lines).Run()) {
    if (reported[v.invariant]++ < options.max_per_invariant) result.violations.push_back(std::move(v));
  }
  return result;
}

CheckResult CheckTraceFile(const std::string& path, const CheckOptions& options) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    CheckResult result;
    result.parse_error = "cannot read the trace " + path;
    return result;
  }
  return CheckTrace(*text, options);
}

std::optional<Violation> CompareTraces(std::string_view first, std::string_view second) {
  if (first == second) return std::nullopt;
  const std::vector<std::string_view> a = SplitLines(first);
  const std::vector<std::string_view> b = SplitLines(second);
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  Violation v;
  v.invariant = "determinism";
  v.message = "the same seed gave two different traces; they first differ at line " + std::to_string(i + 1) +
              " (" + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " lines)";
  v.lines.emplace_back(i + 1, i < a.size() ? std::string(a[i]) : "<end of the first trace>");
  v.lines.emplace_back(i + 1, i < b.size() ? std::string(b[i]) : "<end of the second trace>");
  return v;
}

std::string FormatViolation(const Violation& violation, uint64_t seed) {
  std::string out = "invariant violated: " + violation.invariant + " (seed " + std::to_string(seed) +
                    "): " + violation.message + "\n";
  for (const auto& [line, text] : violation.lines) {
    out += "  trace:" + std::to_string(line) + ": " + text + "\n";
  }
  return out;
}

}  // namespace loopsim::sim
