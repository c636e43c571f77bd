// Schedule files: a run's decision log as JSON, the artifact that `replay --schedule` takes and `shrink`
// produces, and the run record a simulated process leaves for the explorer (the same schedule plus how
// the run ended and the hash of its trace).
//
//   {"version": 1, "seed": 7, "script": {"path": "/app/main.js", "hash": "9f0c...16 hex digits"},
//    "decisions": [["cpu-cost", 16, 3], ["ready-order", 2, 1], ...]}
//
// A decision is [site, number of alternatives, choice]; sites are named as SiteName() names them.
// "script" says what the schedule was recorded for: the program's main script, its host path and the
// FNV-1a hash of its bytes (base/hash.h). Schedules written before it existed have none; they still
// parse (std::nullopt), and replay says it cannot check them. A run record adds how the run ended and,
// when the program was given stdin, "stdin": {"file": NAME, "hash": HEX} (NAME "-": loopsim's own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "fakeos/base/trace_schema.h"
#include "fakeos/chooser.h"

namespace loopsim {

// What a run was of: the program's main script.
struct ScriptIdentity {
  std::string path;   // absolute host path
  uint64_t hash = 0;  // Fnv1a64 of the file's bytes

  bool operator==(const ScriptIdentity&) const = default;
};

struct Schedule {
  uint64_t seed = 0;
  std::optional<ScriptIdentity> script;
  std::vector<Decision> decisions;
};

// One test of a test framework's run, as loopsim's reporter for it said (sim/reporters/): its full name
// (suite › test), whether it passed, and for a failure its message.
struct TestResult {
  std::string name;
  std::string file;     // the test file, as the framework names it ("" when it does not)
  bool passed = true;
  std::string message;  // the failure's first line(s)

  bool operator==(const TestResult&) const = default;
};

struct RunRecord {
  Schedule schedule;
  std::string stop = std::string(trace::stop::kExit);  // one of trace::stop's names
  int exit_code = 0;
  std::string message;  // for hang and unsupported, what loopsim printed; for invariant, the rule broken
  uint64_t trace_hash = 0;
  uint64_t trace_events = 0;
  int64_t virtual_ns = 0;     // virtual time since boot when the run ended
  std::string node_version;   // the Node.js that ran the program (process.version), "" if none
  // Where in the program the run's end was decided, when the host can tell: the program's own stack
  // frame ("fn (/app.js:3:9)") that called process.exit(), and the one that last wrote non-blank text
  // to stderr. Empty when unknown. Triage groups non-zero exits by them.
  std::string exit_frame;
  std::string stderr_frame;
  // How an uncaught error ended the run, as Node's fatal-exception handler was told: "exception" (a
  // throw nothing caught) or "rejection" (a promise rejection nothing handled, under Node's default
  // --unhandled-rejections=throw). Empty when no uncaught error ended it, or when the host cannot tell.
  std::string fatal;
  // The tests a test framework ran, in the order they ended (under `loopsim test`; empty otherwise).
  std::vector<TestResult> tests;
  // The program's stdin, when it was given one: what it was called and the hash of its bytes.
  std::string stdin_file;
  uint64_t stdin_hash = 0;
};

std::string ScheduleToJson(const Schedule& schedule);
// Parses a schedule; on failure an InvalidArgument status whose message says what is wrong and where.
absl::StatusOr<Schedule> ScheduleFromJson(std::string_view text);

std::string RunRecordToJson(const RunRecord& record);
// Parses a run record; failures as ScheduleFromJson's.
absl::StatusOr<RunRecord> RunRecordFromJson(std::string_view text);

}  // namespace loopsim
