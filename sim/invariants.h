// The invariant monitor: reads the trace of one run (JSON Lines, see fakeos/base/trace.h) and checks the
// event-loop rules of DESIGN.md "Invariants" that a trace can show. It is a pure function of the trace
// text, so `loopsim run --check`, `loopsim explore --check` and the property tests all share it.
//
// The loop's own events (cb, close, close_cb, submit, timer_start, loop_time, ...) cover phase order,
// timers, closes, requests and the loop time. The JavaScript-level rules (nextTick and microtask drains,
// immediates, JS timers) need the events of sim/check_preload.js ("js.q", "js.r", "js.imm_q", ...); in a
// trace without them those rules have nothing to look at and pass.
//
// Rules, by the name a violation carries:
//   phase-order            events of one iteration come in libuv's phase order: timers, pending, idle,
//                          prepare, poll, (pending again, as libuv runs pending work after poll), check,
//                          closing; iterations never go back.
//   tick-drain             every nextTick, queueMicrotask and promise job queued before a callback from
//                          the loop (a handle's, a request's, a close callback, a stream read, a
//                          connection, a UDP datagram; or a timer or immediate callback) has run by the
//                          time it starts.
//                          After an exception a handler caught, Node itself delays the drain (the next
//                          timer or immediate runs first), so the rule waits until the queues drain again.
//   tick-before-microtask  of the jobs one piece of code queues, ticks run before microtasks, unless that
//                          code is itself a microtask (then its microtasks run first).
//   timer-not-early        no libuv timer fires before its deadline on the loop clock; no JS timer fires
//                          before its delay has passed on the virtual clock.
//   timer-start-order      in one timers phase, libuv timers fire by (deadline, start order); JS timeouts
//                          of the same duration fire in the order of their start times.
//   immediate-iteration    an immediate queued in the check or closing phase (or between iterations)
//                          runs in the next iteration's check phase, any other in this iteration's.
//   immediate-fifo         immediates run in the order they were queued.
//   close-phase            close callbacks run in the closing phase, once per uv_close.
//   use-after-close        nothing of a handle happens after its close callback.
//   request-once           every request (fs, thread-pool work, dns, connect, write, shutdown, UDP send)
//                          completes at most once, and only after it was submitted; when the loop runs out
//                          of work ("loop_empty": uv_run found nothing alive) every request submitted so
//                          far has completed, a cancelled one with its callback too.
//   loop-time              the loop time is the virtual clock's at each libuv update (iteration start,
//                          after poll), never goes back, and every timer due at the start of an iteration
//                          fires in that iteration's timers phase.
//   process-exit           a child process's exit reaches its parent once, after the child's last event.
//   message-order          a MessagePort (a worker's or its parentPort, a MessageChannel's, a
//                          BroadcastChannel's) delivers the messages sent to it in the order they were
//                          sent, and none twice. Sends and receipts are the check preload's (js.msg_send,
//                          js.msg_recv, matched by a digest of the content); the port a send is queued for
//                          is the async handle the runtime traces it waking (async_send). A message sent
//                          while its port was on its way to another thread (as right after `new Worker`)
//                          woke no handle: it is matched by content alone. Messages a thread without the
//                          preload sends are not seen.
//   determinism            (CompareTraces) the same script and seed gave the same trace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loopsim::sim {

struct Violation {
  std::string invariant;  // one of the names above
  std::string message;    // what went wrong, in one sentence
  // The offending trace lines: 1-based line numbers and their text, in trace order.
  std::vector<std::pair<size_t, std::string>> lines;
};

struct CheckOptions {
  // Reports at most this many violations of each invariant (the first one is usually the cause).
  size_t max_per_invariant = 1;
};

struct CheckResult {
  std::vector<Violation> violations;
  size_t events = 0;           // lines read
  size_t program_events = 0;   // js.* lines among them (0: the check preload was not installed)
  std::string parse_error;     // set when a line is not a trace event (no invariant was checked)
  bool ok() const { return violations.empty() && parse_error.empty(); }
};

// Checks a whole trace.
CheckResult CheckTrace(std::string_view trace, const CheckOptions& options = {});

// Reads and checks a trace file; a file that cannot be read gives a parse_error.
CheckResult CheckTraceFile(const std::string& path, const CheckOptions& options = {});

// Determinism: two runs of the same script, seed, backend and faults must give byte-identical traces.
// Returns a "determinism" violation naming the first line where they differ, or nothing.
std::optional<Violation> CompareTraces(std::string_view first, std::string_view second);

// "invariant violated: NAME (seed S): MESSAGE" followed by the offending lines, one per line, each as
// "  trace:LINE: TEXT". Ends with a newline.
std::string FormatViolation(const Violation& violation, uint64_t seed);

}  // namespace loopsim::sim
