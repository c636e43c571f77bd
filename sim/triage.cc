// See triage.h.
#include "sim/triage.h"

#include <csignal>
#include <cstring>
#include <vector>

#include "fakeos/base/check.h"
#include "fakeos/base/trace_schema.h"
#include "sim/lines.h"
#include "sim/shape.h"

namespace loopsim::sim {

namespace {

constexpr Kind kAllKinds[] = {Kind::kPass,          Kind::kNonZeroExit,        Kind::kUncaughtException,
                              Kind::kUnhandledRejection, Kind::kHang,          Kind::kTimeout,
                              Kind::kCrash,         Kind::kOutOfMemory,        Kind::kInvariantViolation,
                              Kind::kNondeterminism, Kind::kUnsupported};

// Node.js's Error.stackTraceLimit: a stack this long may have lost its bottom (internal) frames.
constexpr size_t kStackTraceLimit = 10;
constexpr size_t kMaxMessage = 300;

bool IsCaretLine(std::string_view line) {
  bool caret = false;
  for (char c : line) {
    if (c == '^') {
      caret = true;
    } else if (c != ' ') {
      return false;
    }
  }
  return caret;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Clip(std::string_view s) {
  std::string out(s.substr(0, kMaxMessage));
  if (s.size() > kMaxMessage) out += "...";
  return out;
}

// "fn (node:internal/timers:569:17)" or "node:internal/main/run_main_module:28:49".
bool IsInternalFrame(std::string_view frame) {
  const size_t open = frame.rfind('(');
  std::string_view where = open == std::string_view::npos ? frame : frame.substr(open + 1);
  return StartsWith(where, "node:") || where == "<anonymous>)" || where == "native)";
}

std::string LastLine(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!it->empty()) return Clip(*it);
  }
  return "";
}

// How a run that left no record stopped, as far as its exit code tells.
std::string_view StopOfExitCode(int exit_code) {
  switch (exit_code) {
    case trace::kHangExit: return trace::stop::kHang;
    case trace::kUnsupportedExit: return trace::stop::kUnsupported;
    case trace::kInvariantViolationExit: return trace::stop::kInvariant;
    default: return trace::stop::kExit;
  }
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kPass: return "pass";
    case Kind::kNonZeroExit: return "nonzero-exit";
    case Kind::kUncaughtException: return "uncaught-exception";
    case Kind::kUnhandledRejection: return "unhandled-rejection";
    case Kind::kHang: return "hang";
    case Kind::kTimeout: return "timeout";
    case Kind::kCrash: return "crash";
    case Kind::kOutOfMemory: return "out-of-memory";
    case Kind::kInvariantViolation: return "invariant-violation";
    case Kind::kNondeterminism: return "nondeterminism";
    case Kind::kUnsupported: return "unsupported";
  }
  return "unknown";
}

bool KindFromName(std::string_view name, Kind* out) {
  for (Kind k : kAllKinds) {
    if (KindName(k) == name) {
      *out = k;
      return true;
    }
  }
  return false;
}

std::string Outcome::Signature() const {
  return std::string(KindName(kind)) + "|" + message + "|" + top_frame;
}

FatalReport ParseFatalReport(std::string_view err) {
  FatalReport report;
  std::vector<std::string_view> lines = SplitLines(err);
  // The report ends with Node's version line; anything the program wrote before it is not part of it.
  size_t end = lines.size();
  while (end > 0 && lines[end - 1].empty()) --end;
  if (end == 0 || !StartsWith(lines[end - 1], "Node.js v")) return report;
  --end;
  // The stack: the last run of "    at " lines (an error's own properties may follow it, in braces).
  size_t first_frame = end, last_frame = end;
  for (size_t i = end; i-- > 0;) {
    if (StartsWith(lines[i], "    at ")) {
      last_frame = i;
      break;
    }
  }
  if (last_frame != end) {
    first_frame = last_frame;
    while (first_frame > 0 && StartsWith(lines[first_frame - 1], "    at ")) --first_frame;
  }
  size_t caret = end;
  for (size_t i = first_frame; i-- > 0;) {
    if (IsCaretLine(lines[i])) {
      caret = i;
      break;
    }
  }
  if (caret == end && first_frame == end) return report;
  report.found = true;
  size_t i = 0;
  if (caret != end) {
    i = caret + 1;
    while (i < end && lines[i].empty()) ++i;
  } else {
    // No source position (an error thrown where Node has no source, e.g. JSON.parse's "undefined:1"):
    // the message is the paragraph right above the stack.
    i = first_frame;
    while (i > 0 && !lines[i - 1].empty()) --i;
  }
  if (i < end) report.message = Clip(lines[i]);
  if (StartsWith(report.message, "[UnhandledPromiseRejection") && report.message.size() > 2 &&
      report.message.substr(report.message.size() - 2) == " {") {
    report.message.resize(report.message.size() - 2);
  }
  std::vector<std::string_view> frames;
  for (size_t f = first_frame; f < end && f <= last_frame; ++f) frames.push_back(lines[f].substr(7));
  bool all_user = !frames.empty();
  for (std::string_view f : frames) {
    if (IsInternalFrame(f)) {
      all_user = false;
      continue;
    }
    if (report.top_frame.empty()) report.top_frame = Clip(f);
    if (report.app_frame.empty() && f.find("/node_modules/") == std::string_view::npos) report.app_frame = Clip(f);
  }
  // Without a stack (a thrown string), the place Node points at is the best top frame there is.
  const std::string_view where = caret != end && caret >= 2 ? lines[caret - 2] : std::string_view();
  if (report.top_frame.empty() && !where.empty() && !StartsWith(where, "node:")) report.top_frame = Clip(where);
  if (report.app_frame.empty()) report.app_frame = report.top_frame;
  const bool said_promise = err.find("[UnhandledPromiseRejection") != std::string_view::npos ||
                            err.find("triggerUncaughtException(err, true /* fromPromise */)") !=
                                std::string_view::npos;
  report.from_promise = said_promise || (all_user && frames.size() < kStackTraceLimit);
  return report;
}

namespace {

// A run killed by a signal: a crash, or running out of heap.
Outcome CrashOutcome(const SeedResult& r) {
  Outcome o;
  o.kind = Kind::kCrash;
  o.message = "killed by " + SignalName(r.term_signal);
  // Node and V8 say why they aborted on a line of their own ("FATAL ERROR: ... heap out of memory").
  // Running out of heap is a kind of its own, whatever signal the abort came with: V8 says it the
  // same way under every node ("... Allocation failed - JavaScript heap out of memory", "... process
  // out of memory").
  constexpr std::string_view kFatal = "FATAL ERROR: ";
  if (const size_t at = r.err.find(kFatal); at != std::string::npos) {
    std::string_view line = std::string_view(r.err).substr(at + kFatal.size());
    line = line.substr(0, line.find('\n'));
    if (line.find("out of memory") != std::string_view::npos) {
      o.kind = Kind::kOutOfMemory;
      o.message = Clip(line);
      return o;
    }
    o.message += ": " + Clip(line);
  }
  return o;
}

}  // namespace

Outcome Classify(const SeedResult& r) {
  Outcome o;
  if (r.timed_out) {
    o.kind = Kind::kTimeout;
    o.message = "no result within the wall-clock budget (the program never returned to the event loop?)";
    return o;
  }
  if (r.term_signal != 0) return CrashOutcome(r);
  const std::string stop = r.has_record ? r.record.stop : std::string(StopOfExitCode(r.exit_code));
  if (stop == trace::stop::kSignal) {
    // The program sent itself a deadly signal (process.kill(process.pid, ...)); the simulation ended the
    // run as the signal would have.
    o.kind = Kind::kCrash;
    o.message = r.record.message.empty() ? "killed by a signal" : Clip(r.record.message);
    return o;
  }
  if (stop == trace::stop::kHang || stop == trace::stop::kUnsupported || stop == trace::stop::kInvariant) {
    o.kind = stop == trace::stop::kHang          ? Kind::kHang
             : stop == trace::stop::kUnsupported ? Kind::kUnsupported
                                                 : Kind::kInvariantViolation;
    o.message = r.has_record && !r.record.message.empty() ? Clip(r.record.message) : LastLine(r.err);
    // loopsim's own message repeats the kind ("hang: the virtual-time budget ...").
    for (std::string_view prefix : {"loopsim: ", "hang: "}) {
      if (StartsWith(o.message, prefix)) o.message.erase(0, prefix.size());
    }
    return o;
  }
  if (r.exit_code == 0) return o;
  FatalReport fatal = ParseFatalReport(r.err);
  if (fatal.found) {
    // The host heard from Node's fatal-exception handler whether the error came from a promise; the
    // report's text tells only under Node 18, which printed the line that rethrew the rejection.
    const std::string& how = r.has_record ? r.record.fatal : std::string();
    const bool from_promise = how.empty() ? fatal.from_promise : how == "rejection";
    o.kind = from_promise ? Kind::kUnhandledRejection : Kind::kUncaughtException;
    o.message = fatal.message;
    o.top_frame = fatal.top_frame;
    if (!fatal.app_frame.empty()) o.site = FrameSite(fatal.app_frame);
    return o;
  }
  o.kind = Kind::kNonZeroExit;
  o.message = "exit code " + std::to_string(r.exit_code);
  const std::string last = LastLine(r.err);
  if (!last.empty()) o.message += ": " + last;
  // The place that wrote the message, or else the one that ended the run. Not the other way round: a
  // process.exit(0) whose 'exit' listener reports a failure and sets process.exitCode is no place of
  // the failure (scenarios/graceful-shutdown.js).
  const std::string& frame = !r.record.stderr_frame.empty() ? r.record.stderr_frame : r.record.exit_frame;
  if (r.has_record && !frame.empty()) o.site = FrameSite(frame);
  return o;
}

std::string_view GroupByName(GroupBy by) {
  switch (by) {
    case GroupBy::kShape: return "shape";
    case GroupBy::kMessage: return "message";
    case GroupBy::kKind: return "kind";
  }
  return "unknown";
}

bool GroupByFromName(std::string_view name, GroupBy* out) {
  for (GroupBy by : {GroupBy::kShape, GroupBy::kMessage, GroupBy::kKind}) {
    if (GroupByName(by) == name) {
      *out = by;
      return true;
    }
  }
  return false;
}

namespace {

// Where the program's part of a message begins: a non-zero exit's message starts with its exit code
// ("exit code 3: ..."), a fact of the failure that stays unmasked.
size_t ProgramMessageStart(const Outcome& o) {
  if (o.kind != Kind::kNonZeroExit) return 0;
  const size_t colon = o.message.find(": ");
  return colon == std::string::npos ? o.message.size() : colon + 2;
}

}  // namespace

std::string OutcomeShape(const Outcome& o) {
  const size_t start = ProgramMessageStart(o);
  return o.message.substr(0, start) + MessageShape(std::string_view(o.message).substr(start));
}

std::string GroupKey(const Outcome& o, GroupBy by) {
  const size_t start = ProgramMessageStart(o);
  switch (by) {
    case GroupBy::kShape:
      return std::string(KindName(o.kind)) + "|" + o.site + "|" + o.message.substr(0, start) +
             ShapeKey(std::string_view(o.message).substr(start));
    case GroupBy::kMessage: return o.Signature();
    case GroupBy::kKind: return std::string(KindName(o.kind));
  }
  LS_CHECK_MSG(false, "unknown GroupBy");
  return "";
}

}  // namespace loopsim::sim
