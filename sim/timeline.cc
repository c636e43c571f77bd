// See timeline.h.
#include "sim/timeline.h"

#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace loopsim::sim {

namespace {

std::string Verb(const std::string& kind, const std::string& event) {
  if (event == trace::event::kCloseCallback) return "closed";
  if (kind == trace::kind::kTimer) return "fired";
  if (kind == trace::kind::kFs) return "completed";
  if (kind == trace::kind::kCheck) return "ran";
  if (kind == trace::kind::kAsync) return "woke the loop";
  if (kind == trace::kind::kWork) return "finished";
  return "called back";
}

std::string Ms(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

std::string Phrase(const Happening& h) { return h.label + " " + h.verb; }

// Callbacks that carry the program's data or control flow, as opposed to file-handle bookkeeping.
bool IsKey(const Happening& h) {
  if (h.label.rfind("fs ", 0) != 0) return true;
  return h.label.rfind("fs read", 0) == 0 || h.label.rfind("fs write", 0) == 0;
}

}  // namespace

std::vector<Happening> Happenings(const std::vector<TraceEvent>& trace) {
  std::vector<Happening> out;
  if (trace.empty()) return out;
  const int64_t t0 = trace.front().t_ns;
  std::map<uint64_t, std::string> request_label;  // fs request id -> "fs read #2"
  std::map<std::string, uint64_t> op_count;
  std::set<std::string> seen;
  for (const TraceEvent& e : trace) {
    if (e.phase == trace::PhaseName(trace::Phase::kOutside)) continue;
    if (e.kind == trace::kind::kFs && e.event == trace::event::kSubmit) {
      request_label[e.id] = "fs " + e.op + " #" + std::to_string(++op_count[e.op]);
      continue;
    }
    if (e.event != trace::event::kCallback && e.event != trace::event::kCloseCallback) continue;
    if (e.kind == trace::kind::kIdle || e.kind == trace::kind::kPrepare) continue;
    std::string label;
    if (e.kind == trace::kind::kFs) {
      auto it = request_label.find(e.id);
      label = it != request_label.end() ? it->second : "fs request #" + std::to_string(e.id);
    } else {
      label = e.kind + " #" + std::to_string(e.id);
    }
    const std::string verb = Verb(e.kind, e.event);
    if (!seen.insert(label + " " + verb).second) continue;
    out.push_back({label, verb, e.t_ns - t0, e.iteration, e.phase});
  }
  return out;
}

std::vector<std::string> ExplainOrder(const std::vector<Happening>& plain, const std::vector<Happening>& failing,
                                      size_t max_lines) {
  constexpr size_t kNever = std::numeric_limits<size_t>::max();
  std::map<std::string, size_t> in_plain, in_failing;
  for (size_t i = 0; i < plain.size(); ++i) in_plain.emplace(Phrase(plain[i]), i);
  for (size_t i = 0; i < failing.size(); ++i) in_failing.emplace(Phrase(failing[i]), i);
  std::vector<std::string> lines;
  std::set<std::string> explained;
  // Two passes: first the inversions between callbacks that carry the program's data and control (fs
  // reads and writes, timers, immediates, ...), then the bookkeeping ones (open, fstat, close) they drag
  // along, so "fs read #2 completed before fs write #1" comes first.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t fi = 0; fi < failing.size() && lines.size() < max_lines; ++fi) {
      const Happening& b = failing[fi];
      auto pb = in_plain.find(Phrase(b));
      if (pb == in_plain.end() || (pass == 0 && !IsKey(b))) continue;
      // What b overtook: callbacks before it in the plain run and after it (or never) in the failing one.
      std::vector<std::pair<size_t, const Happening*>> overtaken;
      for (size_t pi = 0; pi < pb->second; ++pi) {
        const Happening& a = plain[pi];
        if (pass == 0 && !IsKey(a)) continue;
        auto fa = in_failing.find(Phrase(a));
        const size_t where = fa == in_failing.end() ? kNever : fa->second;
        if (where > fi && !explained.count(Phrase(a))) overtaken.emplace_back(where, &a);
      }
      if (overtaken.empty()) continue;
      std::string line = Phrase(b) + " (iteration " + std::to_string(b.iteration) + ", " + b.phase + ", " +
                         Ms(b.t_ns) + ") before ";
      bool never = false;
      for (size_t k = 0; k < overtaken.size(); ++k) {
        const auto& [where, a] = overtaken[k];
        if (k == 3) {
          line += " and " + std::to_string(overtaken.size() - k) + " more";
          break;
        }
        line += (k == 0 ? "" : ", ") + a->label + (a->verb == b.verb ? "" : " " + a->verb);
        if (where == kNever) never = true;
      }
      for (const auto& [where, a] : overtaken) explained.insert(Phrase(*a));
      const Happening& p = plain[pb->second];
      line += "; in the plain schedule it came after " + std::string(overtaken.size() == 1 ? "it" : "them") +
              " (iteration " + std::to_string(p.iteration) + ", " + p.phase + ")";
      if (never) line += "; the failing run ended before some of them";
      lines.push_back(line);
    }
  }
  return lines;
}

std::vector<std::string> DescribeTimeline(const std::vector<Happening>& failing, size_t max_lines) {
  std::vector<std::string> lines;
  for (const Happening& h : failing) {
    if (lines.size() == max_lines) {
      lines.push_back("  ... " + std::to_string(failing.size() - max_lines) + " more");
      break;
    }
    char head[64];
    std::snprintf(head, sizeof head, "%12s  iteration %-4llu %-8s ", Ms(h.t_ns).c_str(),
                  static_cast<unsigned long long>(h.iteration), h.phase.c_str());
    lines.push_back(head + Phrase(h));
  }
  return lines;
}

std::string DescribeDecision(size_t index, const Decision& d) {
  return "decision " + std::to_string(index) + ": " + std::string(SiteName(d.site)) + " took alternative " +
         std::to_string(d.value) + " of " + std::to_string(d.n) + " (plain: 0)";
}

}  // namespace loopsim::sim
