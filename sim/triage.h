// Failure triage: what kind of failure one seed's run is, where in the program it came from, and the
// key that says when two failing seeds failed the same way, so a sweep reports each bug once, with its
// first seed and how many seeds hit it.
//
// Grouping (GroupBy): by default two failures are one group when they have the same kind, come from the
// same place (`site`: the user's top stack frame of Node's report, or for a non-zero exit the program's
// frame that wrote the last error line or else called process.exit(), when the host could tell) and
// their messages have the same shape (sim/shape.h: numbers, ids, hex, quoted values, permutations and
// temp paths masked). `message` groups by the exact kind, message and top frame (Signature), `kind` by
// the kind alone.
//
// Node 18 reports a fatal error on stderr as
//
//   /path/app.js:13                        <- where it was thrown (or node:internal/...)
//     console.log(config.greeting);        <- the source line
//                        ^                 <- a caret under the position
//
//   TypeError: Cannot read properties ...  <- the message
//       at Timeout._onTimeout (/path/app.js:13:34)
//       at listOnTimeout (node:internal/timers:569:17)
//
//   Node.js v18.20.4
//
// and exits 1. An unhandled rejection whose reason is not an Error says so
// ("[UnhandledPromiseRejection: ...", thrown from `triggerUncaughtException(err, true /* fromPromise */)`),
// but one whose reason is an Error prints exactly like an uncaught exception (checked against the
// reference Node 18). Triage tells those apart by the stack: a stack made only of user frames was captured
// in a promise continuation (after an await, in a .then callback), which can only end the process as a
// rejection; every callback the loop itself calls has a node:internal frame under it. An Error created
// synchronously and then rejected (`Promise.reject(new Error())` at top level, an async function throwing
// before its first await) is counted as an uncaught exception.
#pragma once

#include <string>
#include <string_view>

#include "sim/seed_runner.h"

namespace loopsim::sim {

enum class Kind {
  kPass,
  kNonZeroExit,
  kUncaughtException,
  kUnhandledRejection,
  kHang,                // a virtual-time or iteration budget ran out (exit 124)
  kTimeout,             // the wall-clock budget ran out: the program never returned to the loop
  kCrash,               // killed by a signal
  kOutOfMemory,         // V8 ran out of heap (--max-memory-mb, or V8's own limit) and node aborted
  kInvariantViolation,  // the run broke one of the event loop's invariants (`run --check` exits 65)
  kNondeterminism,      // the same seed ran twice and differed
  kUnsupported,         // the program reached a part of libuv loopsim does not simulate (exit 70)
};

std::string_view KindName(Kind kind);
bool KindFromName(std::string_view name, Kind* out);

struct Outcome {
  Kind kind = Kind::kPass;
  std::string message;    // one line
  std::string top_frame;  // "fn (/path/app.js:13:34)", or "/path/app.js:13", or empty
  // Where the failure comes from, as a place ("/path/app.js:13:34", FrameSite), or empty when unknown:
  // the top frame of the program's own code (below any node_modules frames), or for a non-zero exit
  // the frame that wrote the last error line (its message) or else called process.exit().
  std::string site;

  bool failed() const { return kind != Kind::kPass; }
  // The exact failure: kind, message and top frame. Shrink keeps it; --group-by message groups by it.
  std::string Signature() const;
};

Outcome Classify(const SeedResult& result);

enum class GroupBy { kShape, kMessage, kKind };
std::string_view GroupByName(GroupBy by);
bool GroupByFromName(std::string_view name, GroupBy* out);

// The key of the group `outcome` falls in: equal keys, one group.
std::string GroupKey(const Outcome& outcome, GroupBy by);

// The outcome's message with its varying parts masked (sim/shape.h); a non-zero exit's code is kept.
std::string OutcomeShape(const Outcome& outcome);

// Parses Node's fatal-error report at the end of stderr (exposed for tests).
struct FatalReport {
  bool found = false;
  bool from_promise = false;
  std::string message;
  std::string top_frame;
  std::string app_frame;  // the top frame outside node_modules (else top_frame)
};
FatalReport ParseFatalReport(std::string_view err);

}  // namespace loopsim::sim
