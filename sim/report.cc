// See report.h.
#include "sim/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace loopsim::sim {

namespace {

using nlohmann::json;

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no place for most control characters; a program's message may hold them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

bool GroupLess(const FailureGroup& a, const FailureGroup& b) {
  if (a.first_seed != b.first_seed) return a.first_seed < b.first_seed;
  return a.outcome.Signature() < b.outcome.Signature();
}

std::string Title(const FailureGroup& g) {
  std::string t = std::string(KindName(g.outcome.kind)) + ": " + g.outcome.message;
  if (!g.outcome.top_frame.empty()) t += " at " + g.outcome.top_frame;
  return t;
}

}  // namespace

bool Summary::HasProgramFailures() const {
  return std::any_of(failures.begin(), failures.end(),
                     [](const FailureGroup& g) { return g.outcome.kind != Kind::kUnsupported; });
}

bool Summary::HasUnsupported() const {
  return std::any_of(failures.begin(), failures.end(),
                     [](const FailureGroup& g) { return g.outcome.kind == Kind::kUnsupported; });
}

void AddFailure(Summary& summary, const Outcome& outcome, uint64_t seed, const std::string& reproduce) {
  const std::string sig = outcome.Signature();
  for (FailureGroup& g : summary.failures) {
    if (g.outcome.Signature() != sig) continue;
    g.seeds.insert(std::upper_bound(g.seeds.begin(), g.seeds.end(), seed), seed);
    if (seed < g.first_seed) {
      g.first_seed = seed;
      g.reproduce = reproduce;
    }
    return;
  }
  summary.failures.push_back({outcome, seed, {seed}, reproduce});
}

void SortFailures(Summary& summary) { std::sort(summary.failures.begin(), summary.failures.end(), GroupLess); }

std::string SummaryToJson(const Summary& s) {
  json failures = json::array();
  for (const FailureGroup& g : s.failures) {
    failures.push_back({{"kind", KindName(g.outcome.kind)},
                        {"message", g.outcome.message},
                        {"top_frame", g.outcome.top_frame},
                        {"signature", g.outcome.Signature()},
                        {"first_seed", g.first_seed},
                        {"count", g.seeds.size()},
                        {"seeds", g.seeds},
                        {"reproduce", g.reproduce}});
  }
  json j = {{"version", 1},
            {"script", s.script},
            {"args", s.args},
            {"strategy", s.strategy},
            {"backend", s.backend},
            {"run_flags", s.run_flags},
            {"node", {{"version", s.node}, {"path", s.node_path}}},
            {"seed_start", s.seed_start},
            {"seeds", s.seeds},
            {"shard", {{"index", s.shard_index}, {"count", s.shard_count}}},
            {"runs", s.runs},
            {"passed", s.passed()},
            {"failed", s.failed},
            {"stopped_early", s.stopped_early},
            {"coverage", s.coverage},
            {"failures", std::move(failures)},
            {"merged_from", s.merged_from},
            {"stats", {{"wall_s", s.wall_s}, {"runs_per_s", s.wall_s > 0 ? s.runs / s.wall_s : 0.0}}}};
  return j.dump(2) + "\n";
}

bool SummaryFromJson(const std::string& text, Summary* out, std::string* error) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return false;
  }
  if (j.value("version", 0) != 1) {
    *error = "not an explore summary (expected \"version\": 1)";
    return false;
  }
  try {
    Summary s;
    s.script = j.at("script").get<std::string>();
    s.args = j.at("args").get<std::vector<std::string>>();
    s.strategy = j.at("strategy").get<std::string>();
    s.backend = j.at("backend").get<std::string>();
    s.run_flags = j.at("run_flags").get<std::string>();
    s.node = j.at("node").at("version").get<std::string>();
    s.node_path = j.at("node").at("path").get<std::string>();
    s.seed_start = j.at("seed_start").get<uint64_t>();
    s.seeds = j.at("seeds").get<uint64_t>();
    s.shard_index = j.at("shard").at("index").get<uint32_t>();
    s.shard_count = j.at("shard").at("count").get<uint32_t>();
    s.runs = j.at("runs").get<uint64_t>();
    s.failed = j.at("failed").get<uint64_t>();
    s.stopped_early = j.at("stopped_early").get<bool>();
    s.coverage = j.at("coverage").get<std::string>();
    s.merged_from = j.value("merged_from", uint64_t{1});
    s.wall_s = j.contains("stats") ? j["stats"].value("wall_s", 0.0) : 0.0;
    for (const json& f : j.at("failures")) {
      FailureGroup g;
      if (!KindFromName(f.at("kind").get<std::string>(), &g.outcome.kind)) {
        *error = "unknown failure kind " + f.at("kind").dump();
        return false;
      }
      g.outcome.message = f.at("message").get<std::string>();
      g.outcome.top_frame = f.at("top_frame").get<std::string>();
      g.first_seed = f.at("first_seed").get<uint64_t>();
      g.seeds = f.at("seeds").get<std::vector<uint64_t>>();
      g.reproduce = f.at("reproduce").get<std::string>();
      s.failures.push_back(std::move(g));
    }
    if (s.failed > s.runs) {
      *error = "more failed seeds than seeds run";
      return false;
    }
    *out = std::move(s);
  } catch (const json::exception& e) {
    *error = std::string("missing or mistyped field: ") + e.what();
    return false;
  }
  return true;
}

std::string SummaryToJUnit(const Summary& s) {
  const std::string suite = "loopsim explore " + s.script;
  const size_t tests = 1 + s.failures.size();
  const size_t failures = s.failures.size() + (s.failures.empty() ? 0 : 1);
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"loopsim\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "  <testsuite name=\"" + XmlEscape(suite) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"0\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "    <properties>\n      <property name=\"node\" value=\"" + XmlEscape(s.node) + "\"/>\n"
       "      <property name=\"node_path\" value=\"" + XmlEscape(s.node_path) + "\"/>\n"
       "      <property name=\"backend\" value=\"" + XmlEscape(s.backend) + "\"/>\n    </properties>\n";
  const std::string sweep = "sweep: " + std::to_string(s.runs) + " " + (s.strategy == "exhaustive" ? "schedules" : "seeds") +
                            " (" + s.strategy + ", " + s.backend + ")";
  x += "    <testcase classname=\"loopsim.explore\" name=\"" + XmlEscape(sweep) + "\" time=\"" + Seconds(s.wall_s) +
       "\">\n";
  if (!s.failures.empty()) {
    const std::string msg = std::to_string(s.failures.size()) + " distinct failure(s) in " +
                            std::to_string(s.failed) + " of " + std::to_string(s.runs) + " runs";
    x += "      <failure message=\"" + XmlEscape(msg) + "\" type=\"explore\">" + XmlEscape(SummaryToText(s)) +
         "</failure>\n";
  }
  x += "    </testcase>\n";
  for (const FailureGroup& g : s.failures) {
    x += "    <testcase classname=\"loopsim.explore." + std::string(KindName(g.outcome.kind)) + "\" name=\"" +
         XmlEscape(Title(g)) + "\" time=\"0\">\n";
    const std::string body = "first seed " + std::to_string(g.first_seed) + "; " + std::to_string(g.seeds.size()) +
                             " of " + std::to_string(s.runs) + " runs\nreplay: " + g.reproduce + "\n";
    x += "      <failure message=\"" + XmlEscape(g.outcome.message) + "\" type=\"" +
         std::string(KindName(g.outcome.kind)) + "\">" + XmlEscape(body) + "</failure>\n";
    x += "    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

std::string SummaryToText(const Summary& s) {
  std::string t;
  const char* unit = s.strategy == "exhaustive" ? "schedules" : "seeds";
  t += "loopsim explore: " + std::to_string(s.runs) + " " + unit + " of " + s.script + " (" + s.strategy + ", " +
       s.backend + (s.node.empty() ? "" : ", node " + s.node) + (s.shard_count > 1 ? ", shard " + std::to_string(s.shard_index) + "/" + std::to_string(s.shard_count) : "") +
       "): " + std::to_string(s.failed) + " failed, " + std::to_string(s.passed()) + " passed";
  if (s.wall_s > 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " [%.1f s, %.1f %s/s]", s.wall_s, s.runs / s.wall_s, unit);
    t += buf;
  }
  t += "\n";
  if (s.stopped_early) t += "stopped early: --max-failures reached\n";
  if (!s.coverage.empty()) t += s.coverage + "\n";
  int n = 0;
  for (const FailureGroup& g : s.failures) {
    t += "\n" + std::to_string(++n) + ") " + std::string(KindName(g.outcome.kind)) + ": " + g.outcome.message + "\n";
    if (!g.outcome.top_frame.empty()) t += "   at " + g.outcome.top_frame + "\n";
    t += "   first " + std::string(s.strategy == "exhaustive" ? "schedule" : "seed") + " " + std::to_string(g.first_seed) +
         "; " + std::to_string(g.seeds.size()) + " of " + std::to_string(s.runs) + " " + unit + "\n";
    t += "   replay: " + g.reproduce + "\n";
  }
  return t;
}

bool MergeSummaries(const std::vector<Summary>& shards, Summary* out, std::string* error) {
  if (shards.empty()) {
    *error = "nothing to merge";
    return false;
  }
  const Summary& first = shards[0];
  std::set<uint32_t> seen;
  Summary m = first;
  m.runs = m.failed = 0;
  m.failures.clear();
  m.stopped_early = false;
  m.merged_from = 0;
  m.wall_s = 0;
  m.shard_index = m.shard_count = 1;
  for (const Summary& s : shards) {
    if (s.script != first.script || s.args != first.args || s.strategy != first.strategy ||
        s.backend != first.backend || s.run_flags != first.run_flags || s.node != first.node ||
        s.seed_start != first.seed_start ||
        s.seeds != first.seeds || s.shard_count != first.shard_count) {
      *error = "the summaries are not shards of one sweep (program, options or seed range differ)";
      return false;
    }
    if (!seen.insert(s.shard_index).second) {
      *error = "shard " + std::to_string(s.shard_index) + "/" + std::to_string(s.shard_count) + " appears twice";
      return false;
    }
    m.runs += s.runs;
    m.failed += s.failed;
    m.stopped_early = m.stopped_early || s.stopped_early;
    m.merged_from += s.merged_from;
    m.wall_s = std::max(m.wall_s, s.wall_s);
    for (const FailureGroup& g : s.failures) {
      bool found = false;
      for (FailureGroup& have : m.failures) {
        if (have.outcome.Signature() != g.outcome.Signature()) continue;
        std::vector<uint64_t> seeds;
        std::set_union(have.seeds.begin(), have.seeds.end(), g.seeds.begin(), g.seeds.end(), std::back_inserter(seeds));
        have.seeds = std::move(seeds);
        if (g.first_seed < have.first_seed) {
          have.first_seed = g.first_seed;
          have.reproduce = g.reproduce;
        }
        found = true;
        break;
      }
      if (!found) m.failures.push_back(g);
    }
  }
  if (seen.size() != first.shard_count) {
    std::string missing;
    for (uint32_t k = 1; k <= first.shard_count; ++k) {
      if (!seen.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    }
    *error = "incomplete: shard(s) " + missing + " of " + std::to_string(first.shard_count) + " missing";
    return false;
  }
  SortFailures(m);
  *out = std::move(m);
  return true;
}

}  // namespace loopsim::sim
