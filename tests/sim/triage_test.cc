// Failure triage on Node 18's own fatal-error reports (copied from runs of the reference Node 18) and on
// how a seed's process ended.
#include "sim/triage.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace loopsim::sim {
namespace {

constexpr char kTimerThrow[] =
    "/tmp/p/unc.js:1\n"
    "setTimeout(()=>{ throw new Error(\"boom\") },1)\n"
    "                 ^\n"
    "\n"
    "Error: boom\n"
    "    at Timeout._onTimeout (/tmp/p/unc.js:1:24)\n"
    "    at listOnTimeout (node:internal/timers:569:17)\n"
    "    at process.processTimers (node:internal/timers:512:7)\n"
    "\n"
    "Node.js v18.20.4\n";

constexpr char kThrownString[] =
    "\n"
    "/tmp/p/unc2.js:1\n"
    "setTimeout(()=>{ throw \"str\" },1)\n"
    "                 ^\n"
    "str\n"
    "(Use `node --trace-uncaught ...` to show where the exception was thrown)\n"
    "\n"
    "Node.js v18.20.4\n";

constexpr char kRejectedNumber[] =
    "node:internal/process/promises:288\n"
    "            triggerUncaughtException(err, true /* fromPromise */);\n"
    "            ^\n"
    "\n"
    "[UnhandledPromiseRejection: This error originated either by throwing inside of an async function "
    "without a catch block, or by rejecting a promise which was not handled with .catch(). The promise "
    "rejected with the reason \"42\".] {\n"
    "  code: 'ERR_UNHANDLED_REJECTION'\n"
    "}\n"
    "\n"
    "Node.js v18.20.4\n";

constexpr char kRejectedAfterAwait[] =
    "/tmp/p/rej3.js:1\n"
    "async function f(){ await null; throw new TypeError(\"bad type\") } f()\n"
    "                                      ^\n"
    "\n"
    "TypeError: bad type\n"
    "    at f (/tmp/p/rej3.js:1:39)\n"
    "\n"
    "Node.js v18.20.4\n";

constexpr char kJsonParseNoCaret[] =
    "undefined:1\n"
    "\n"
    "\n"
    "SyntaxError: Unexpected end of JSON input\n"
    "    at JSON.parse (<anonymous>)\n"
    "    at /work/main/scenarios/lost-update.js:16:23\n"
    "    at FSReqCallback.readFileAfterClose [as oncomplete] (node:internal/fs/read_file_context:68:3)\n"
    "\n"
    "Node.js v18.20.4\n";

constexpr char kAssertion[] =
    "program output before\n"
    "node:assert:125\n"
    "  throw new AssertionError(obj);\n"
    "  ^\n"
    "\n"
    "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"
    "\n"
    "1 !== 2\n"
    "\n"
    "    at Object.<anonymous> (/tmp/p/assert.js:1:32)\n"
    "    at Module._compile (node:internal/modules/cjs/loader:1364:14)\n"
    "    at node:internal/main/run_main_module:28:49 {\n"
    "  generatedMessage: true,\n"
    "  code: 'ERR_ASSERTION'\n"
    "}\n"
    "\n"
    "Node.js v18.20.4\n";

SeedResult Exited(int code, const std::string& err) {
  SeedResult r;
  r.exit_code = code;
  r.err = err;
  r.has_record = true;
  r.record.stop = "exit";
  r.record.exit_code = code;
  return r;
}

// What triage makes of Node's report, compared as one: the outcome's kind, message and Node's top frame.
struct Report {
  Kind kind;
  std::string message;
  std::string top_frame;
  bool operator==(const Report&) const = default;
  friend void PrintTo(const Report& r, std::ostream* os) {
    *os << "{" << KindName(r.kind) << ", \"" << r.message << "\", \"" << r.top_frame << "\"}";
  }
};

Report ReportOf(const SeedResult& r) {
  const Outcome o = Classify(r);
  return {o.kind, o.message, o.top_frame};
}

// The report of a seed that exited with code 1 and `err` on stderr.
Report ReportOfExit1(const std::string& err) { return ReportOf(Exited(1, err)); }

TEST(Triage, ExceptionFromATimerIsUncaughtWithItsUserFrame) {
  EXPECT_EQ(ReportOfExit1(kTimerThrow),
            (Report{Kind::kUncaughtException, "Error: boom", "Timeout._onTimeout (/tmp/p/unc.js:1:24)"}));
}

TEST(Triage, ThrownNonErrorPointsAtWhereNodeSaysItWasThrown) {
  EXPECT_EQ(ReportOfExit1(kThrownString), (Report{Kind::kUncaughtException, "str", "/tmp/p/unc2.js:1"}));
}

TEST(Triage, RejectionWithANonErrorReasonIsAnUnhandledRejection) {
  const Outcome o = Classify(Exited(1, kRejectedNumber));
  EXPECT_EQ(o.kind, Kind::kUnhandledRejection);
  EXPECT_NE(o.message.find("The promise rejected with the reason \"42\"."), std::string::npos) << o.message;
  EXPECT_EQ(o.message.back(), ']');
  EXPECT_EQ(o.top_frame, "");
}

TEST(Triage, ErrorWhoseStackHasOnlyUserFramesIsAnUnhandledRejection) {
  EXPECT_EQ(ReportOfExit1(kRejectedAfterAwait),
            (Report{Kind::kUnhandledRejection, "TypeError: bad type", "f (/tmp/p/rej3.js:1:39)"}));
}

// Node 20 and later print an unhandled rejection of an Error as they print an uncaught exception: the
// source line of the throw, the message, the stack. What Node's fatal-exception handler was told, as the
// host notes it in the run record, decides; the text alone would say "uncaught".
constexpr char kRejectedFromNodesOwnCode[] =
    "node:internal/fs/promises:639\n"
    "  return new FileHandle(await PromisePrototypeThen(\n"
    "                        ^\n"
    "\n"
    "Error: ENOENT: no such file or directory, open '/tmp/settings.json'\n"
    "    at async open (node:internal/fs/promises:639:25)\n"
    "    at async Object.readFile (node:internal/fs/promises:1252:14) {\n"
    "  errno: -2,\n"
    "  code: 'ENOENT'\n"
    "}\n"
    "\n"
    "Node.js v22.23.5\n";

TEST(Triage, TheRunRecordTellsARejectionFromAnExceptionThatNodePrintsAlike) {
  SeedResult r = Exited(1, kRejectedFromNodesOwnCode);
  EXPECT_EQ(Classify(r).kind, Kind::kUncaughtException);  // the text's guess, with no word from the host
  r.record.fatal = "rejection";
  const Outcome o = Classify(r);
  EXPECT_EQ(o.kind, Kind::kUnhandledRejection);
  EXPECT_EQ(o.message, "Error: ENOENT: no such file or directory, open '/tmp/settings.json'");
  SeedResult thrown = Exited(1, kTimerThrow);
  thrown.record.fatal = "exception";
  EXPECT_EQ(Classify(thrown).kind, Kind::kUncaughtException);
}

TEST(Triage, ErrorWithoutASourceLineTakesTheParagraphAboveTheStack) {
  EXPECT_EQ(ReportOfExit1(kJsonParseNoCaret),
            (Report{Kind::kUncaughtException, "SyntaxError: Unexpected end of JSON input",
                    "/work/main/scenarios/lost-update.js:16:23"}));
}

TEST(Triage, MultiLineMessageIsCutToItsFirstLineAndEarlierOutputIgnored) {
  EXPECT_EQ(ReportOfExit1(kAssertion),
            (Report{Kind::kUncaughtException, "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
                    "Object.<anonymous> (/tmp/p/assert.js:1:32)"}));
}

TEST(Triage, NonZeroExitWithoutNodesReportKeepsTheLastStderrLine) {
  const Outcome o = Classify(Exited(3, "warming up\ngiving up\n"));
  EXPECT_EQ(o.kind, Kind::kNonZeroExit);
  EXPECT_EQ(o.message, "exit code 3: giving up");
  EXPECT_EQ(Classify(Exited(4, "")).message, "exit code 4");
}

TEST(Triage, ZeroExitPassesWhateverStderrSays) {
  EXPECT_FALSE(Classify(Exited(0, kTimerThrow)).failed());
}

// A seed killed by `signal`, with `err` on stderr and no run record.
SeedResult Killed(int signal, const std::string& err = "") {
  SeedResult r;
  r.term_signal = signal;
  r.err = err;
  return r;
}

// A seed that exited with `code` and `err` on stderr, having said in its run record how it stopped and why.
SeedResult Recorded(int code, const std::string& err, const std::string& stop, const std::string& message) {
  SeedResult r = Exited(code, err);
  r.record.stop = stop;
  r.record.message = message;
  return r;
}

TEST(Triage, WatchdogSignalsBudgetsAndMissingFeaturesHaveTheirOwnKinds) {
  SeedResult timeout;
  timeout.timed_out = true;
  EXPECT_EQ(Classify(timeout).kind, Kind::kTimeout);

  EXPECT_EQ(ReportOf(Killed(11)), (Report{Kind::kCrash, "killed by SIGSEGV", ""}));
  const std::string oom =
      "<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of "
      "memory\n 1: 0x7f node::Abort()\n";
  EXPECT_EQ(ReportOf(Killed(6, oom)),
            (Report{Kind::kOutOfMemory, "Reached heap limit Allocation failed - JavaScript heap out of memory", ""}));
  // Some builds trap instead of aborting: the same kind.
  EXPECT_EQ(Classify(Killed(5, oom)).kind, Kind::kOutOfMemory);
  EXPECT_EQ(ReportOf(Killed(6, "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n")),
            (Report{Kind::kCrash, "killed by SIGABRT: v8::ToLocalChecked Empty MaybeLocal", ""}));

  EXPECT_EQ(ReportOf(Recorded(124, "loopsim: hang: the budget ...\n", "hang",
                              "hang: the virtual-time budget of 5 s is used up (the program never finishes)")),
            (Report{Kind::kHang, "the virtual-time budget of 5 s is used up (the program never finishes)", ""}));
  SeedResult hang_without_record;
  hang_without_record.exit_code = 124;
  hang_without_record.err = "loopsim: hang: deadlock\n";
  EXPECT_EQ(ReportOf(hang_without_record), (Report{Kind::kHang, "deadlock", ""}));
  EXPECT_EQ(Classify(Recorded(70, "loopsim: uv_pipe_init is not simulated yet\n", "unsupported",
                              "uv_pipe_init is not simulated yet"))
                .kind,
            Kind::kUnsupported);
}

// `run --check` writes what it found into the run record; triage reads it there, not from stderr.
SeedResult Violated(uint64_t seed) {
  return Recorded(65,
                  "loopsim: invariant violated: phase-order (seed " + std::to_string(seed) +
                      "): poll after check\n  trace:12: {...}\n",
                  "invariant", "phase-order: poll after check");
}

TEST(Triage, InvariantViolationIsReadFromTheRunRecordWithoutTheSeed) {
  const Outcome a = Classify(Violated(3));
  const Outcome b = Classify(Violated(8));
  EXPECT_EQ(a.kind, Kind::kInvariantViolation);
  EXPECT_EQ(a.message, "phase-order: poll after check");
  EXPECT_EQ(a.Signature(), b.Signature());
}

TEST(Triage, StderrThatLooksLikeAViolationIsNotOne) {
  const Outcome o = Classify(Exited(65, "loopsim: invariant violated: phase-order (seed 3): poll after check\n"));
  EXPECT_EQ(o.kind, Kind::kNonZeroExit);
}

TEST(Triage, SignaturesSeparateKindsMessagesAndFrames) {
  Outcome a{Kind::kUncaughtException, "Error: x", "f (/a.js:1:1)", "/a.js:1:1"};
  Outcome b = a;
  b.top_frame = "g (/a.js:2:1)";
  Outcome c = a;
  c.kind = Kind::kUnhandledRejection;
  EXPECT_NE(a.Signature(), b.Signature());
  EXPECT_NE(a.Signature(), c.Signature());
}

constexpr char kThrownInAPackage[] =
    "/p/node_modules/lib/index.js:4\n"
    "  throw new Error(`bad input ${n}`)\n"
    "  ^\n"
    "\n"
    "Error: bad input 7\n"
    "    at check (/p/node_modules/lib/index.js:4:9)\n"
    "    at Timeout._onTimeout (/p/app.js:12:3)\n"
    "    at listOnTimeout (node:internal/timers:569:17)\n"
    "\n"
    "Node.js v18.20.4\n";

TEST(Triage, SiteIsTheTopFrameOfTheProgramsOwnCode) {
  const Outcome o = Classify(Exited(1, kThrownInAPackage));
  EXPECT_EQ(o.top_frame, "check (/p/node_modules/lib/index.js:4:9)");
  EXPECT_EQ(o.site, "/p/app.js:12:3");
  EXPECT_EQ(Classify(Exited(1, kTimerThrow)).site, "/tmp/p/unc.js:1:24");
  EXPECT_EQ(Classify(Exited(1, kThrownString)).site, "/tmp/p/unc2.js:1");
  EXPECT_EQ(Classify(Exited(1, kRejectedNumber)).site, "");
}

TEST(Triage, NonZeroExitComesFromWhereTheLastErrorLineWasWrittenElseWhereProcessExitWasCalled) {
  SeedResult r = Exited(1, "out of order: acbdef\n");
  EXPECT_EQ(Classify(r).site, "");
  r.record.exit_frame = "/p/app.js:21:13";
  EXPECT_EQ(Classify(r).site, "/p/app.js:21:13");
  r.record.stderr_frame = "report (/p/app.js:20:13)";
  EXPECT_EQ(Classify(r).site, "/p/app.js:20:13");
  // The exact signature is what it was: kind, message and Node's top frame.
  EXPECT_EQ(Classify(r).Signature(), "nonzero-exit|exit code 1: out of order: acbdef|");
}

TEST(Triage, GroupKeysByShapeMessageAndKind) {
  const Outcome a{Kind::kNonZeroExit, "exit code 1: out of order: acbdef", "", "/p/app.js:21:13"};
  Outcome b = a;
  b.message = "exit code 1: out of order: fedcba";
  Outcome elsewhere = a;
  elsewhere.site = "/p/app.js:40:7";
  Outcome other = a;
  other.message = "exit code 1: lost update: n=1";
  EXPECT_EQ(GroupKey(a, GroupBy::kShape), GroupKey(b, GroupBy::kShape));
  EXPECT_NE(GroupKey(a, GroupBy::kShape), GroupKey(elsewhere, GroupBy::kShape));
  EXPECT_NE(GroupKey(a, GroupBy::kShape), GroupKey(other, GroupBy::kShape));
  EXPECT_NE(GroupKey(a, GroupBy::kMessage), GroupKey(b, GroupBy::kMessage));
  EXPECT_EQ(GroupKey(a, GroupBy::kMessage), GroupKey(elsewhere, GroupBy::kMessage));
  EXPECT_EQ(GroupKey(a, GroupBy::kKind), GroupKey(other, GroupBy::kKind));
  // The exit code is the failure's own, not a varying part of the program's message.
  Outcome code2 = a;
  code2.message = "exit code 2: out of order: acbdef";
  EXPECT_NE(GroupKey(a, GroupBy::kShape), GroupKey(code2, GroupBy::kShape));
  EXPECT_EQ(OutcomeShape(b), "exit code 1: out of order: <perm:abcdef>");
  EXPECT_EQ(OutcomeShape(Outcome{Kind::kHang, "the budget of 5 s is used up", "", ""}),
            "the budget of <n> s is used up");
  for (GroupBy by : {GroupBy::kShape, GroupBy::kMessage, GroupBy::kKind}) {
    GroupBy back;
    ASSERT_TRUE(GroupByFromName(GroupByName(by), &back));
    EXPECT_EQ(back, by);
  }
  GroupBy unused;
  EXPECT_FALSE(GroupByFromName("exact", &unused));
}

TEST(Triage, KindNamesRoundTrip) {
  for (Kind k : {Kind::kPass, Kind::kNonZeroExit, Kind::kUncaughtException, Kind::kUnhandledRejection, Kind::kHang,
                 Kind::kTimeout, Kind::kCrash, Kind::kOutOfMemory, Kind::kInvariantViolation, Kind::kNondeterminism,
                 Kind::kUnsupported}) {
    Kind back;
    ASSERT_TRUE(KindFromName(KindName(k), &back));
    EXPECT_EQ(back, k);
  }
  Kind unused;
  EXPECT_FALSE(KindFromName("bogus", &unused));
}

}  // namespace
}  // namespace loopsim::sim
