// Unit tests of the invariant monitor (sim/invariants.h) on small hand-written traces: each rule passes a
// trace that keeps it and names the lines of one that breaks it.
#include "sim/invariants.h"

#include <string>

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

std::string Ev(int64_t t, int iter, const std::string& phase, const std::string& ev, const std::string& fields = "") {
  return "{\"t\":" + std::to_string(t) + ",\"iter\":" + std::to_string(iter) + ",\"phase\":\"" + phase +
         "\",\"ev\":\"" + ev + "\"" + fields + "}\n";
}

// The events most rules are about, as the loop writes them (times in milliseconds of the virtual clock).
// The loop's time at the start of an iteration, and again after its poll phase.
std::string IterationStart(int64_t now_ms, int iter) {
  return Ev(now_ms * 1000000, iter, "timers", "loop_time",
            ",\"now\":" + std::to_string(now_ms) + ",\"by\":\"iteration\"");
}
std::string AfterPoll(int64_t now_ms, int iter) {
  return Ev(now_ms * 1000000, iter, "poll", "loop_time", ",\"now\":" + std::to_string(now_ms) + ",\"by\":\"poll\"");
}
// A check handle's callback.
std::string CheckCallback(int64_t now_ms, int iter, int id) {
  return Ev(now_ms * 1000000, iter, "check", "cb", ",\"kind\":\"check\",\"id\":" + std::to_string(id));
}
// A job of JavaScript's queues ("tick" or "mt", a microtask) queued by the first callback, and run.
std::string JsQueued(const std::string& job, int id) {
  return Ev(0, 0, "outside", "js.q",
            ",\"j\":\"" + job + "\",\"id\":" + std::to_string(id) + ",\"c\":1,\"cs\":0,\"ck\":\"o\"");
}
std::string JsRan(const std::string& job, int id) {
  return Ev(0, 0, "outside", "js.r", ",\"j\":\"" + job + "\",\"id\":" + std::to_string(id));
}

std::string FirstViolation(const std::string& trace) {
  const CheckResult r = CheckTrace(trace);
  EXPECT_EQ(r.parse_error, "");
  return r.violations.empty() ? "" : r.violations[0].invariant;
}

// The trace breaks the phase order once, and the violation points at lines `earlier` and `later`.
void ExpectOnePhaseOrderViolation(const std::string& trace, size_t earlier, size_t later) {
  const CheckResult r = CheckTrace(trace);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].invariant, "phase-order");
  ASSERT_EQ(r.violations[0].lines.size(), 2u);
  EXPECT_EQ(r.violations[0].lines[0].first, earlier);
  EXPECT_EQ(r.violations[0].lines[1].first, later);
}

TEST(InvariantMonitor, AcceptsPhasesInLibuvOrder) {
  const std::string trace = IterationStart(1, 1) + AfterPoll(1, 1) + CheckCallback(1, 1, 7) + IterationStart(2, 2);
  EXPECT_EQ(FirstViolation(trace), "");
}

TEST(InvariantMonitor, CheckBeforePollIsAPhaseOrderViolation) {
  const std::string trace = CheckCallback(1, 1, 7) + AfterPoll(1, 1);
  ExpectOnePhaseOrderViolation(trace, 1, 2);
}

// An event of a worker's loop: the trace writes its thread right after the time.
std::string OnThread(int thread, std::string line) {
  return line.insert(line.find(','), ",\"thread\":" + std::to_string(thread));
}
std::string ThreadEv(int thread, int64_t t, int iter, const std::string& phase, const std::string& ev,
                     const std::string& fields = "") {
  return OnThread(thread, Ev(t, iter, phase, ev, fields));
}

TEST(InvariantMonitor, EachThreadsLoopKeepsItsOwnPhaseOrder) {
  // The main loop's iteration 5 and a worker's iteration 1 interleave: each loop is in order on its own.
  const std::string interleaved =
      AfterPoll(1, 5) + OnThread(1, IterationStart(1, 1)) + OnThread(1, AfterPoll(1, 1)) + CheckCallback(1, 5, 7);
  EXPECT_EQ(FirstViolation(interleaved), "");
  // The worker's own loop goes from check back to poll in one iteration: its violation, on its lines.
  const std::string broken =
      interleaved + OnThread(1, CheckCallback(1, 1, 9)) + IterationStart(2, 6) + OnThread(1, AfterPoll(1, 1));
  ExpectOnePhaseOrderViolation(broken, 5, 7);
}

TEST(InvariantMonitor, TickPendingAtTheNextCallbackIsADrainViolation) {
  const std::string queued = JsQueued("tick", 5);
  const std::string callback = CheckCallback(1, 1, 7);
  const std::string ran = JsRan("tick", 5);
  EXPECT_EQ(FirstViolation(queued + ran + callback), "");
  EXPECT_EQ(FirstViolation(queued + callback), "tick-drain");
}

TEST(InvariantMonitor, MicrotaskBeforeATickOfTheSameCallbackIsAnOrderViolation) {
  const std::string trace = JsQueued("tick", 5) + JsQueued("mt", 6) + JsRan("mt", 6) + JsRan("tick", 5);
  EXPECT_EQ(FirstViolation(trace), "tick-before-microtask");
}

TEST(InvariantMonitor, EarlyTimerAndReversedEqualDeadlines) {
  EXPECT_EQ(FirstViolation(Ev(5000000, 1, "timers", "cb", ",\"kind\":\"timer\",\"id\":3,\"due\":6,\"start\":0,\"now\":5")),
            "timer-not-early");
  EXPECT_EQ(FirstViolation(Ev(6000000, 1, "timers", "cb", ",\"kind\":\"timer\",\"id\":4,\"due\":6,\"start\":1,\"now\":6") +
                           Ev(6000000, 1, "timers", "cb", ",\"kind\":\"timer\",\"id\":3,\"due\":6,\"start\":0,\"now\":6")),
            "timer-start-order");
}

TEST(InvariantMonitor, ImmediateQueuedInCheckMustWaitAnIteration) {
  const std::string q = Ev(1000000, 1, "check", "js.imm_q", ",\"id\":9");
  EXPECT_EQ(FirstViolation(q + Ev(1000000, 1, "check", "js.imm_r", ",\"id\":9")), "immediate-iteration");
  EXPECT_EQ(FirstViolation(q + Ev(2000000, 2, "check", "js.imm_r", ",\"id\":9")), "");
}

TEST(InvariantMonitor, CloseCallbacksAndRequests) {
  EXPECT_EQ(FirstViolation(Ev(0, 1, "poll", "close", ",\"kind\":\"async\",\"id\":8") +
                           Ev(0, 1, "check", "close_cb", ",\"kind\":\"async\",\"id\":8")),
            "close-phase");
  EXPECT_EQ(FirstViolation(Ev(0, 1, "poll", "close", ",\"kind\":\"async\",\"id\":8") +
                           Ev(0, 1, "closing", "close_cb", ",\"kind\":\"async\",\"id\":8") +
                           Ev(0, 2, "poll", "cb", ",\"kind\":\"async\",\"id\":8")),
            "use-after-close");
  EXPECT_EQ(FirstViolation(Ev(0, 1, "poll", "cb", ",\"kind\":\"fs\",\"req\":4")), "request-once");
}

TEST(InvariantMonitor, SocketCallbacksAreCallbackStartsForTheDrain) {
  const std::string queued = Ev(0, 1, "poll", "js.q", ",\"j\":\"tick\",\"id\":5,\"c\":1,\"cs\":0,\"ck\":\"o\"");
  for (const std::string& start : {Ev(0, 1, "poll", "read", ",\"kind\":\"tcp\",\"id\":7,\"n\":4"),
                                   Ev(0, 1, "poll", "read", ",\"kind\":\"pipe\",\"id\":7,\"n\":-4095"),
                                   Ev(0, 1, "poll", "connection", ",\"kind\":\"tcp\",\"id\":7"),
                                   Ev(0, 1, "poll", "recv", ",\"kind\":\"udp\",\"id\":7,\"n\":4")}) {
    EXPECT_EQ(FirstViolation(queued + start), "tick-drain") << start;
  }
  // A stream's write, connect and shutdown callbacks run from the pending phase (or the pending runs
  // after poll) and in the closing phase when the stream closes with them queued.
  const std::string socket_requests =
      Ev(0, 1, "poll", "submit", ",\"kind\":\"connect\",\"req\":1") +
      Ev(0, 1, "poll", "submit", ",\"kind\":\"write\",\"req\":2") +
      Ev(0, 2, "pending", "cb", ",\"kind\":\"connect\",\"req\":1") +
      Ev(0, 2, "poll", "submit", ",\"kind\":\"shutdown\",\"req\":3") +
      Ev(0, 2, "poll", "cb", ",\"kind\":\"shutdown\",\"req\":3") +
      Ev(0, 2, "poll", "close", ",\"kind\":\"tcp\",\"id\":7") +
      Ev(0, 2, "closing", "cb", ",\"kind\":\"write\",\"req\":2") +
      Ev(0, 2, "closing", "close_cb", ",\"kind\":\"tcp\",\"id\":7") + Ev(0, 2, "outside", "loop_empty");
  EXPECT_EQ(FirstViolation(socket_requests), "");
}

TEST(InvariantMonitor, ARequestInFlightWhenTheLoopRunsOutOfWorkLostItsCallback) {
  const std::string submit = Ev(0, 1, "poll", "submit", ",\"kind\":\"shutdown\",\"req\":3");
  const std::string done = Ev(0, 1, "poll", "cb", ",\"kind\":\"shutdown\",\"req\":3");
  const std::string empty = Ev(0, 1, "outside", "loop_empty");
  EXPECT_EQ(FirstViolation(submit + done + empty), "");
  // Still in flight while the loop has work (or when the program exits early): not a violation.
  EXPECT_EQ(FirstViolation(submit), "");
  const CheckResult r = CheckTrace(submit + empty + Ev(0, 2, "poll", "cb", ",\"kind\":\"shutdown\",\"req\":3"));
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].invariant, "request-once");
  ASSERT_EQ(r.violations[0].lines.size(), 2u);
  EXPECT_EQ(r.violations[0].lines[0].first, 1u);
  EXPECT_EQ(r.violations[0].lines[1].first, 2u);
}

TEST(InvariantMonitor, StaleLoopTimeIsCaught) {
  EXPECT_EQ(FirstViolation(Ev(2000000, 2, "timers", "loop_time", ",\"now\":1,\"by\":\"iteration\"")), "loop-time");
}

TEST(InvariantMonitor, TracesThatDifferAreNondeterminism) {
  EXPECT_FALSE(CompareTraces("a\nb\n", "a\nb\n").has_value());
  const auto v = CompareTraces("a\nb\n", "a\nc\n");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "determinism");
  EXPECT_EQ(v->lines[0].first, 2u);
}

TEST(InvariantMonitor, ANonTraceLineIsAParseError) {
  EXPECT_NE(CheckTrace("not json\n").parse_error, "");
}

TEST(InvariantMonitor, AChildsExitReachesItsParentOnceAfterItEnded) {
  const std::string start = ThreadEv(1, 1000000, 0, "outside", "process_start", ",\"pid\":4243,\"ppid\":4242");
  const std::string end = ThreadEv(1, 2000000, 0, "outside", "process_end", ",\"pid\":4243,\"status\":0,\"signal\":0");
  const std::string exit_cb = Ev(3000000, 3, "poll", "cb", ",\"kind\":\"process\",\"id\":9,\"pid\":4243");
  EXPECT_EQ(FirstViolation(start + end + exit_cb), "");
  // The parent hears of the exit before the child ended; twice; and the child goes on after its end.
  EXPECT_EQ(FirstViolation(start + exit_cb + end), "process-exit");
  EXPECT_EQ(FirstViolation(start + end + exit_cb + exit_cb), "process-exit");
  const std::string late = ThreadEv(1, 2500000, 0, "outside", "close", ",\"kind\":\"pipe\",\"id\":4");
  const CheckResult r = CheckTrace(start + end + late + exit_cb);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].invariant, "process-exit");
  ASSERT_EQ(r.violations[0].lines.size(), 2u);
  EXPECT_EQ(r.violations[0].lines[0].first, 2u);
  EXPECT_EQ(r.violations[0].lines[1].first, 3u);
}

// Messages: thread 1 sends (msg_send, the runtime's async_send naming the port's handle, msg_sent), and
// the main thread receives each in the async callback of the port's handle, 60.
std::string Sent(int digest, int port) {
  return ThreadEv(1, 1000000, 1, "poll", "js.msg_send", ",\"d\":" + std::to_string(digest)) +
         (port == 0 ? "" : ThreadEv(1, 1000000, 1, "poll", "async_send", ",\"kind\":\"async\",\"to\":" +
                                                                          std::to_string(port))) +
         ThreadEv(1, 1000000, 1, "poll", "js.msg_sent");
}
std::string PortWakes(int port) {
  return Ev(2000000, 2, "poll", "cb", ",\"kind\":\"async\",\"id\":" + std::to_string(port));
}
std::string Received(int digest) { return Ev(2000000, 2, "poll", "js.msg_recv", ",\"d\":" + std::to_string(digest)); }

TEST(InvariantMonitor, APortDeliversItsMessagesInTheOrderTheyWereSent) {
  // The same content twice is two messages.
  EXPECT_EQ(FirstViolation(Sent(11, 60) + Sent(22, 60) + Sent(11, 60) + PortWakes(60) + Received(11) + Received(22) +
                           Received(11)),
            "");
  // Swapped: the lines are the earlier send, the later one, its receipt and the late receipt.
  const std::string sent = Sent(11, 60) + Sent(22, 60) + Sent(33, 60);
  EXPECT_EQ(FirstViolation(sent + PortWakes(60) + Received(11) + Received(22) + Received(33)), "");
  const CheckResult r = CheckTrace(sent + PortWakes(60) + Received(22) + Received(11) + Received(33));
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].invariant, "message-order");
  ASSERT_EQ(r.violations[0].lines.size(), 4u);
  EXPECT_EQ(r.violations[0].lines[0].first, 1u);
  EXPECT_EQ(r.violations[0].lines[1].first, 4u);
  EXPECT_EQ(r.violations[0].lines[2].first, 11u);
  EXPECT_EQ(r.violations[0].lines[3].first, 12u);
  // Delivered twice.
  EXPECT_EQ(FirstViolation(Sent(11, 60) + PortWakes(60) + Received(11) + Received(11)), "message-order");
}

TEST(InvariantMonitor, EachPortKeepsItsOwnOrder) {
  // 11 goes to port 60, 22 to port 61: their receipts may come either way round, each in its port's callback.
  const std::string sent = Sent(11, 60) + Sent(22, 61);
  EXPECT_EQ(FirstViolation(sent + PortWakes(61) + Received(22) + PortWakes(60) + Received(11)), "");
  // A receipt in no async callback (a timer's) belongs to no port: nothing to hold it to.
  const std::string timer = Ev(3000000, 3, "timers", "cb", ",\"kind\":\"timer\",\"id\":7,\"due\":3,\"start\":1");
  const std::string late = Ev(3000000, 3, "timers", "js.msg_recv", ",\"d\":11");
  EXPECT_EQ(FirstViolation(Sent(11, 60) + Sent(22, 60) + PortWakes(60) + Received(22) + timer + late), "");
}

TEST(InvariantMonitor, AMessageSentWhileItsPortMovedIsMatchedByContentAlone) {
  // 11 was sent while the port was on its way to another thread (it woke no handle), then 22 and 33 to the
  // port's new handle: 11 may come first, and only once.
  const std::string sent = Sent(11, 0) + Sent(22, 60) + Sent(33, 60);
  EXPECT_EQ(FirstViolation(sent + PortWakes(60) + Received(11) + Received(22) + Received(33)), "");
  EXPECT_EQ(FirstViolation(sent + PortWakes(60) + Received(22) + Received(33) + Received(11)), "");
  EXPECT_EQ(FirstViolation(sent + PortWakes(60) + Received(33) + Received(22) + Received(11)), "message-order");
  // Content seen twice in a row that was sent once to the port and once in transit is no repeat.
  EXPECT_EQ(FirstViolation(Sent(11, 0) + Sent(11, 60) + PortWakes(60) + Received(11) + Received(11)), "");
}

}  // namespace
}  // namespace loopsim::sim
