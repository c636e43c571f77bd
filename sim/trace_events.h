// Reading a trace: one JSON Lines event as sim's readers use it (the invariant checker, the Chrome
// converter, the timeline). The fixed fields every event has are read once, by the names the writer used
// (fakeos/base/trace_schema.h); the event's own fields stay in `json`, where a reader finds them by the
// same names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakeos/base/trace_schema.h"

namespace loopsim::sim {

struct TraceEvent {
  int64_t t_ns = 0;
  uint32_t thread = 0;     // 0: the main thread's loop
  uint64_t iteration = 0;
  std::string phase;       // as written: trace::PhaseName of a phase
  std::string event;       // trace::event names, or kProgramPrefix + the program's own name
  std::string kind, op;    // "" when the event has none
  uint64_t id = 0;         // the request id (`req`) when there is one, else the handle id (`id`), else 0
  nlohmann::json json;     // the whole event
};

// One line of a trace; nullopt when it is not a JSON object with the fixed fields (time, iteration,
// phase, event name).
std::optional<TraceEvent> ParseTraceEvent(std::string_view line);

// The events of a JSON Lines trace; lines that are not events are skipped.
std::vector<TraceEvent> ParseTrace(std::string_view jsonl);

// The thread an event belongs to, read without parsing the line: the writer puts `"thread":N` right after
// the time, and only for threads other than the main one, 0.
uint32_t TraceThreadOf(std::string_view line);

}  // namespace loopsim::sim
