// The vocabulary of what a run leaves behind: the names a trace event is written with (its keys, its
// phases, its event names and the kinds the readers tell apart), the ways a run can stop as the run record
// names them, and the exit codes `loopsim run` ends with for each. The writer (runtime/uv) and every reader
// (sim's invariant checker, Chrome converter, timeline and triage) take the names from here, so a name
// changes in one place or not at all.
//
// It lives in the shared leaf, fakeos/base/, because both ends need it and the layers allow no other
// common place: runtime/ may include fakeos/base/ (besides fakeos/kernel.h), sim/ may include anything
// below it, and fakeos/ itself names run stops in its run record (fakeos/schedule.h). Names only: no
// formatting, no parsing, nothing of libuv or JSON.
//
// Every name here is part of the determinism contract: a trace's bytes and hash include them, so a name,
// once written, is not renamed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace loopsim::trace {

// The keys of an event, in the order the writer puts the fixed ones: {"t":…,["thread":…,]"iter":…,
// "phase":"…","ev":"…", then the event's own fields}.
namespace key {
inline constexpr std::string_view kTime = "t";          // virtual nanoseconds since the epoch
inline constexpr std::string_view kThread = "thread";   // the loop's thread; absent for the main one, 0
inline constexpr std::string_view kIteration = "iter";  // the loop iteration
inline constexpr std::string_view kPhase = "phase";     // a PhaseName
inline constexpr std::string_view kEvent = "ev";        // an event name (below)
inline constexpr std::string_view kKind = "kind";       // a handle's type name, or a request's kind
inline constexpr std::string_view kId = "id";           // a handle's id
inline constexpr std::string_view kReq = "req";         // a request's id
inline constexpr std::string_view kOp = "op";           // an fs request's operation
inline constexpr std::string_view kCount = "n";         // bytes read or written, datagram size, or UV_EOF
inline constexpr std::string_view kNow = "now";         // the loop time, ms
inline constexpr std::string_view kBy = "by";           // where the loop time was updated (by::)
inline constexpr std::string_view kDue = "due";         // a timer's deadline on the loop clock, ms
inline constexpr std::string_view kStart = "start";     // a timer's start counter (equal deadlines)
inline constexpr std::string_view kEvents = "events";   // poll and fs-event callbacks' event mask
inline constexpr std::string_view kStatus = "status";   // a poll callback's error status; a process's exit code
inline constexpr std::string_view kPid = "pid";         // a simulated process's pid
inline constexpr std::string_view kParentPid = "ppid";  // the pid of the process that started it
inline constexpr std::string_view kSignal = "signal";   // the signal that ended a process (0: none)
inline constexpr std::string_view kHost = "host";       // a host's name (loopsim --host): where a process runs
inline constexpr std::string_view kTo = "to";           // the async handle a message send wakes (async_send)
}  // namespace key

// The phase an event happened in: libuv's phases in the order uv_run runs them, and `kOutside` for what
// happens outside any iteration (between uv_run calls, synchronous fs without a loop).
enum class Phase : uint8_t { kOutside, kTimers, kPending, kIdle, kPrepare, kPoll, kCheck, kClosing };

inline constexpr Phase kAllPhases[] = {Phase::kOutside, Phase::kTimers, Phase::kPending, Phase::kIdle,
                                       Phase::kPrepare, Phase::kPoll,   Phase::kCheck,   Phase::kClosing};

constexpr std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kOutside: return "outside";
    case Phase::kTimers: return "timers";
    case Phase::kPending: return "pending";
    case Phase::kIdle: return "idle";
    case Phase::kPrepare: return "prepare";
    case Phase::kPoll: return "poll";
    case Phase::kCheck: return "check";
    case Phase::kClosing: return "closing";
  }
  return "?";
}

constexpr std::optional<Phase> PhaseFromName(std::string_view name) {
  for (Phase phase : kAllPhases) {
    if (PhaseName(phase) == name) return phase;
  }
  return std::nullopt;
}

// Event names.
namespace event {
inline constexpr std::string_view kCallback = "cb";              // a handle's or request's callback runs
inline constexpr std::string_view kClose = "close";              // uv_close on a handle
inline constexpr std::string_view kCloseCallback = "close_cb";   // a handle's close callback runs
inline constexpr std::string_view kTimerStart = "timer_start";
inline constexpr std::string_view kTimerStop = "timer_stop";
inline constexpr std::string_view kSubmit = "submit";            // a request is submitted
inline constexpr std::string_view kSync = "sync";                // a synchronous fs request ran
inline constexpr std::string_view kRead = "read";                // a stream read (or end of file) callback
inline constexpr std::string_view kTryWrite = "try_write";       // uv_try_write wrote `n` bytes
inline constexpr std::string_view kConnection = "connection";    // a listener's connection callback
inline constexpr std::string_view kRecv = "recv";                // a UDP datagram's callback
inline constexpr std::string_view kLoopTime = "loop_time";       // uv_run updated the loop time
inline constexpr std::string_view kLoopEmpty = "loop_empty";     // uv_run found nothing alive
inline constexpr std::string_view kProcessStart = "process_start";  // a child process's first event (pid, ppid)
inline constexpr std::string_view kProcessEnd = "process_end";      // its last (pid, status, signal)
inline constexpr std::string_view kHostCrash = "host_crash";        // a host crashed (host)
// While the check preload sends a message (between its program::kMessageSend and its next event), each
// uv_async_send of a program's async handle: the port the message is queued for, named by its handle
// (key::kTo, with key::kKind "async"), on the sending thread.
inline constexpr std::string_view kAsyncSend = "async_send";
// What the program reports itself ("NAME {fields}" on the trace sink) is traced as "js.NAME".
inline constexpr std::string_view kProgramPrefix = "js.";
}  // namespace event

// The program events of `run --check`'s preload (sim/check_preload.js, which writes them as "NAME {json}"
// lines to the trace sink; traced as event::kProgramPrefix + NAME) and their fields. The preload cannot
// include this header: tests/e2e/check_preload_test.cc holds what it writes to these names.
namespace program {
inline constexpr std::string_view kQueue = "q";                  // a job entered its queue (j, id, c, cs, ck)
inline constexpr std::string_view kRun = "r";                    // the job starts running (j, id)
inline constexpr std::string_view kImmediateQueue = "imm_q";     // an immediate is queued (id)
inline constexpr std::string_view kImmediateRun = "imm_r";       // it runs (id)
inline constexpr std::string_view kTimeoutQueue = "tmo_q";       // a Timeout is created (id, dur, rep)
inline constexpr std::string_view kTimeoutRun = "tmo_r";         // its callback runs (id, st)
inline constexpr std::string_view kThrow = "throw";              // an exception reached the top of a callback
inline constexpr std::string_view kExit = "exit";                // the thread is exiting ('exit' is emitted)
inline constexpr std::string_view kMessageSend = "msg_send";     // a MessagePort's postMessage begins (d)
inline constexpr std::string_view kMessageSent = "msg_sent";     // it returned
inline constexpr std::string_view kMessageReceive = "msg_recv";  // a 'message' is dispatched to the program (d)

inline constexpr std::string_view kAllEvents[] = {kQueue,        kRun,        kImmediateQueue, kImmediateRun,
                                                  kTimeoutQueue, kTimeoutRun, kThrow,          kExit,
                                                  kMessageSend,  kMessageSent, kMessageReceive};

// Their fields.
namespace key {
inline constexpr std::string_view kJob = "j";             // the job's queue: a job:: name
inline constexpr std::string_view kId = "id";             // the job's, immediate's or Timeout's async id
inline constexpr std::string_view kContext = "c";         // the async id of the execution that queued it
inline constexpr std::string_view kContextSerial = "cs";  // which execution of that resource
inline constexpr std::string_view kContextKind = "ck";    // a context:: name
inline constexpr std::string_view kDuration = "dur";      // a Timeout's delay, ms
inline constexpr std::string_view kRepeat = "rep";        // 1 for an interval, else 0
inline constexpr std::string_view kStart = "st";          // the start of a Timeout's current period, ms
inline constexpr std::string_view kDigest = "d";          // a digest of a message's content (a uint32)
}  // namespace key

// The queues a job is in (key::kJob).
namespace job {
inline constexpr std::string_view kTick = "tick";     // process.nextTick
inline constexpr std::string_view kMicrotask = "mt";  // queueMicrotask
inline constexpr std::string_view kPromise = "prom";  // a promise reaction
}  // namespace job

// Whether the execution that queued a job is a microtask itself (key::kContextKind).
namespace context {
inline constexpr std::string_view kMicrotask = "m";
inline constexpr std::string_view kOther = "o";
}  // namespace context
}  // namespace program

// Where uv_run updated the loop time (key::kBy).
namespace by {
inline constexpr std::string_view kIteration = "iteration";  // at the start of an iteration
inline constexpr std::string_view kPoll = "poll";            // after the poll phase waited
}  // namespace by

// The kinds (key::kKind) readers tell apart: handle type names (as uv_handle_type_name gives them) and
// request kinds.
namespace kind {
inline constexpr std::string_view kTimer = "timer";
inline constexpr std::string_view kCheck = "check";
inline constexpr std::string_view kIdle = "idle";
inline constexpr std::string_view kPrepare = "prepare";
inline constexpr std::string_view kAsync = "async";
inline constexpr std::string_view kProcess = "process";  // a child process's handle (its exit callback)
inline constexpr std::string_view kUdp = "udp";
inline constexpr std::string_view kFs = "fs";
inline constexpr std::string_view kWork = "work";
inline constexpr std::string_view kRandom = "random";
inline constexpr std::string_view kGetaddrinfo = "getaddrinfo";
inline constexpr std::string_view kGetnameinfo = "getnameinfo";
inline constexpr std::string_view kWrite = "write";
inline constexpr std::string_view kConnect = "connect";
inline constexpr std::string_view kShutdown = "shutdown";
inline constexpr std::string_view kUdpSend = "udp_send";
inline constexpr std::string_view kOtherRequest = "req";
}  // namespace kind

// How a run stopped, as its run record says (RunRecord::stop, fakeos/schedule.h).
namespace stop {
inline constexpr std::string_view kExit = "exit";                // the program exited by itself
inline constexpr std::string_view kHang = "hang";                // a virtual-time or iteration budget ran out
inline constexpr std::string_view kUnsupported = "unsupported";  // the program did what is not simulated
inline constexpr std::string_view kSignal = "signal";            // the program sent itself a deadly signal
inline constexpr std::string_view kInvariant = "invariant";      // `run --check` found a rule broken
}  // namespace stop

// The exit codes `loopsim run` gives a run that stopped other than by the program's own exit.
inline constexpr int kHangExit = 124;                // as timeout(1) reports a timeout
inline constexpr int kUnsupportedExit = 70;          // EX_SOFTWARE
inline constexpr int kInvariantViolationExit = 65;   // EX_DATAERR

}  // namespace loopsim::trace
