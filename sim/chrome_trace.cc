// See chrome_trace.h.
#include "sim/chrome_trace.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

#include "sim/trace_events.h"

namespace loopsim::sim {

namespace {

using nlohmann::json;

// The phase tracks of a thread, numbered from 1 in the order trace::kAllPhases lists the phases; an
// unknown phase gets the track after them.
int Track(const std::string& phase) {
  const std::optional<trace::Phase> p = trace::PhaseFromName(phase);
  return p ? static_cast<int>(*p) + 1 : static_cast<int>(std::size(trace::kAllPhases)) + 1;
}

std::string Name(const TraceEvent& e) {
  std::string name = e.event;
  if (!e.kind.empty()) name += " " + e.kind;
  if (!e.op.empty()) name += " " + e.op;
  if (e.json.contains(trace::key::kId)) name += " #" + e.json[trace::key::kId].dump();
  if (e.json.contains(trace::key::kReq)) name += " #" + e.json[trace::key::kReq].dump();
  return name;
}

}  // namespace

absl::Status ConvertTraceToChrome(const std::string& jsonl_path, const std::string& out_path) {
  std::ifstream in(jsonl_path);
  if (!in) return absl::NotFoundError("cannot read " + jsonl_path);
  std::vector<TraceEvent> events;
  std::string line;
  while (std::getline(in, line)) {
    if (std::optional<TraceEvent> e = ParseTraceEvent(line)) events.push_back(*std::move(e));
  }
  // A group of phase tracks per thread of the program: the main thread's, then each worker's.
  std::set<uint32_t> threads = {0};
  for (const TraceEvent& e : events) threads.insert(e.thread);
  json out = json::array();
  for (uint32_t thread : threads) {
    const int pid = static_cast<int>(thread) + 1;
    for (trace::Phase phase : trace::kAllPhases) {
      out.push_back({{"ph", "M"}, {"pid", pid}, {"tid", Track(std::string(trace::PhaseName(phase)))},
                     {"name", "thread_name"}, {"args", {{"name", trace::PhaseName(phase)}}}});
    }
    const std::string name = thread == 0 ? "loopsim (virtual time)" : "worker thread " + std::to_string(thread);
    out.push_back({{"ph", "M"}, {"pid", pid}, {"name", "process_name"}, {"args", {{"name", name}}}});
  }
  const int64_t t0 = events.empty() ? 0 : events.front().t_ns;
  for (size_t i = 0; i < events.size(); ++i) {
    const TraceEvent& e = events[i];
    json args = e.json;
    args.erase(trace::key::kTime);
    json slice = {{"name", Name(e)},
                  {"cat", e.phase},
                  {"pid", static_cast<int>(e.thread) + 1},
                  {"tid", Track(e.phase)},
                  {"ts", static_cast<double>(e.t_ns - t0) / 1000.0},
                  {"args", std::move(args)}};
    if (e.event == trace::event::kCallback || e.event == trace::event::kCloseCallback) {
      // A callback lasts until the next traced event: the CPU time the model charged it.
      const int64_t next = i + 1 < events.size() ? events[i + 1].t_ns : e.t_ns;
      slice["ph"] = "X";
      slice["dur"] = static_cast<double>(next - e.t_ns) / 1000.0;
    } else {
      slice["ph"] = "i";
      slice["s"] = "t";
    }
    out.push_back(std::move(slice));
  }
  std::ofstream file(out_path);
  file << json{{"traceEvents", std::move(out)}, {"displayTimeUnit", "ns"}}.dump() << "\n";
  if (!file) return absl::UnavailableError("cannot write " + out_path);
  return absl::OkStatus();
}

}  // namespace loopsim::sim
