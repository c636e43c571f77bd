// Failure triage: what kind of failure one seed's run is, and the signature that says when two failing
// seeds failed the same way (kind + message + the top frame of the user's stack), so a sweep reports
// each distinct failure once, with its first seed and how many seeds hit it.
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

  bool failed() const { return kind != Kind::kPass; }
  std::string Signature() const;
};

Outcome Classify(const SeedResult& result);

// Parses Node's fatal-error report at the end of stderr (exposed for tests).
struct FatalReport {
  bool found = false;
  bool from_promise = false;
  std::string message;
  std::string top_frame;
};
FatalReport ParseFatalReport(std::string_view err);

}  // namespace loopsim::sim
