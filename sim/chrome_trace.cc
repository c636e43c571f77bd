// See chrome_trace.h.
#include "sim/chrome_trace.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

namespace loopsim::sim {

namespace {

using nlohmann::json;

constexpr const char* kPhases[] = {"outside", "timers", "pending", "idle", "prepare", "poll", "check", "closing"};

int Track(const std::string& phase) {
  for (int i = 0; i < 8; ++i) {
    if (phase == kPhases[i]) return i + 1;
  }
  return 9;
}

std::string Name(const json& e) {
  std::string name = e.value("ev", "event");
  if (e.contains("kind")) name += " " + e["kind"].get<std::string>();
  if (e.contains("op")) name += " " + e["op"].get<std::string>();
  if (e.contains("id")) name += " #" + e["id"].dump();
  if (e.contains("req")) name += " #" + e["req"].dump();
  return name;
}

}  // namespace

bool ConvertTraceToChrome(const std::string& jsonl_path, const std::string& out_path, std::string* error) {
  std::ifstream in(jsonl_path);
  if (!in) {
    *error = "cannot read " + jsonl_path;
    return false;
  }
  std::vector<json> events;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json e = json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.contains("t")) continue;
    events.push_back(std::move(e));
  }
  // A group of phase tracks per thread of the program: the main thread's, then each worker's.
  std::set<int> threads = {0};
  for (const json& e : events) threads.insert(e.value("thread", 0));
  json out = json::array();
  for (int thread : threads) {
    const int pid = thread + 1;
    for (int i = 0; i < 8; ++i) {
      out.push_back({{"ph", "M"}, {"pid", pid}, {"tid", i + 1}, {"name", "thread_name"},
                     {"args", {{"name", kPhases[i]}}}});
    }
    const std::string name = thread == 0 ? "loopsim (virtual time)" : "worker thread " + std::to_string(thread);
    out.push_back({{"ph", "M"}, {"pid", pid}, {"name", "process_name"}, {"args", {{"name", name}}}});
  }
  const int64_t t0 = events.empty() ? 0 : events.front()["t"].get<int64_t>();
  for (size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    const int64_t t = e["t"].get<int64_t>();
    json args = e;
    args.erase("t");
    json slice = {{"name", Name(e)},       {"cat", e.value("phase", "outside")}, {"pid", e.value("thread", 0) + 1},
                  {"tid", Track(e.value("phase", "outside"))}, {"ts", static_cast<double>(t - t0) / 1000.0},
                  {"args", std::move(args)}};
    if (e.value("ev", "") == "cb" || e.value("ev", "") == "close_cb") {
      // A callback lasts until the next traced event: the CPU time the model charged it.
      const int64_t next = i + 1 < events.size() ? events[i + 1]["t"].get<int64_t>() : t;
      slice["ph"] = "X";
      slice["dur"] = static_cast<double>(next - t) / 1000.0;
    } else {
      slice["ph"] = "i";
      slice["s"] = "t";
    }
    out.push_back(std::move(slice));
  }
  std::ofstream file(out_path);
  file << json{{"traceEvents", std::move(out)}, {"displayTimeUnit", "ns"}}.dump() << "\n";
  if (!file) {
    *error = "cannot write " + out_path;
    return false;
  }
  return true;
}

}  // namespace loopsim::sim
