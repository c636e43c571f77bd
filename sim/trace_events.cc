// See trace_events.h.
#include "sim/trace_events.h"

#include "sim/lines.h"

namespace loopsim::sim {

namespace key = trace::key;

std::optional<TraceEvent> ParseTraceEvent(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains(key::kTime) || !j.contains(key::kIteration) ||
      !j.contains(key::kPhase) || !j.contains(key::kEvent)) {
    return std::nullopt;
  }
  TraceEvent e;
  e.t_ns = j[key::kTime].get<int64_t>();
  e.thread = j.value(key::kThread, uint32_t{0});
  e.iteration = j[key::kIteration].get<uint64_t>();
  e.phase = j[key::kPhase].get<std::string>();
  e.event = j[key::kEvent].get<std::string>();
  e.kind = j.value(key::kKind, "");
  e.op = j.value(key::kOp, "");
  e.id = j.contains(key::kReq) ? j.value(key::kReq, uint64_t{0}) : j.value(key::kId, uint64_t{0});
  e.json = std::move(j);
  return e;
}

std::vector<TraceEvent> ParseTrace(std::string_view jsonl) {
  std::vector<TraceEvent> out;
  for (std::string_view line : SplitLines(jsonl)) {
    if (std::optional<TraceEvent> e = ParseTraceEvent(line)) out.push_back(*std::move(e));
  }
  return out;
}

uint32_t TraceThreadOf(std::string_view line) {
  static const std::string kKey = ",\"" + std::string(key::kThread) + "\":";
  const size_t comma = line.find(',');
  if (comma == std::string_view::npos || line.substr(comma, kKey.size()) != kKey) return 0;
  uint32_t n = 0;
  for (size_t i = comma + kKey.size(); i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    n = n * 10 + static_cast<uint32_t>(line[i] - '0');
  }
  return n;
}

}  // namespace loopsim::sim
