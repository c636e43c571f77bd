// See report.h.
#include "sim/report.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "fakeos/base/check.h"

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

// How many variants of a group the text and JUnit reports show.
constexpr size_t kShownVariants = 3;

bool GroupLess(const FailureGroup& a, const FailureGroup& b) {
  if (a.first_seed != b.first_seed) return a.first_seed < b.first_seed;
  return a.key < b.key;
}

bool VariantLess(const Variant& a, const Variant& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.first_seed != b.first_seed) return a.first_seed < b.first_seed;
  return a.outcome.Signature() < b.outcome.Signature();
}

// What a group is called: its shape when grouped by shape and seen with more than one message (the
// shape names what they have in common), else the message of its first seed.
std::string Headline(const FailureGroup& g, GroupBy by) {
  return by == GroupBy::kShape && g.variants.size() > 1 ? g.Shape() : g.outcome.message;
}

// Where the group's failure comes from, as the reports print it.
std::string Where(const Outcome& o) {
  if (!o.top_frame.empty()) return "at " + o.top_frame;
  if (!o.site.empty()) return "from " + o.site;
  return "";
}

// A JUnit test case's name: the same for the same group in every run (CI systems track a test by its
// name), so by shape it is the shape and the site, never one seed's message.
std::string TestName(const FailureGroup& g, GroupBy by) {
  std::string t(KindName(g.outcome.kind));
  switch (by) {
    case GroupBy::kShape:
      t += ": " + g.Shape();
      if (!g.outcome.site.empty()) t += " at " + g.outcome.site;
      break;
    case GroupBy::kMessage:
      t += ": " + g.outcome.message;
      if (!g.outcome.top_frame.empty()) t += " at " + g.outcome.top_frame;
      break;
    case GroupBy::kKind:
      break;
  }
  return t;
}

// "first seed 3; 57 of 200 seeds", then the most common variants when there are several.
std::string GroupBody(const FailureGroup& g, const Summary& s, const std::string& indent) {
  const bool exhaustive = s.strategy == "exhaustive";
  const char* unit = exhaustive ? "schedules" : "seeds";
  std::string t = indent + "first " + (exhaustive ? "schedule" : "seed") + " " + std::to_string(g.first_seed) + "; " +
                  std::to_string(g.seeds.size()) + " of " + std::to_string(s.runs) + " " + unit;
  if (g.variants.size() > 1) {
    t += "; " + std::to_string(g.variants.size()) + " distinct messages, the most common:";
  }
  t += "\n";
  if (g.variants.size() > 1) {
    for (size_t i = 0; i < g.variants.size() && i < kShownVariants; ++i) {
      const Variant& v = g.variants[i];
      t += indent + "  " + std::to_string(v.count) + " x " + v.outcome.message;
      if (v.outcome.top_frame != g.outcome.top_frame && !v.outcome.top_frame.empty()) t += " at " + v.outcome.top_frame;
      t += " (" + std::string(exhaustive ? "schedule" : "seed") + " " + std::to_string(v.first_seed) + ")\n";
    }
    if (g.variants.size() > kShownVariants) {
      uint64_t rest = 0;
      for (size_t i = kShownVariants; i < g.variants.size(); ++i) rest += g.variants[i].count;
      t += indent + "  and " + std::to_string(g.variants.size() - kShownVariants) + " more (" + std::to_string(rest) +
           " " + unit + ")\n";
    }
  }
  return t;
}

// Folds `part` (another group of the same key: one seed's, or a shard's) into `into`. On equal first
// seeds (--backend all runs each seed on every backend) the one added first stays the first.
void FoldGroup(FailureGroup& into, FailureGroup& part) {
  into.seeds.insert(into.seeds.end(), part.seeds.begin(), part.seeds.end());
  if (part.first_seed < into.first_seed) {
    into.outcome = std::move(part.outcome);
    into.first_seed = part.first_seed;
    into.reproduce = std::move(part.reproduce);
  }
  into.variants.insert(into.variants.end(), std::make_move_iterator(part.variants.begin()),
                       std::make_move_iterator(part.variants.end()));
}

// Merges the group's variants of one exact failure (adding their counts), then orders them.
void FoldVariants(FailureGroup& g) {
  std::vector<std::pair<std::string, Variant>> by_signature;
  for (Variant& v : g.variants) by_signature.emplace_back(v.outcome.Signature(), std::move(v));
  std::stable_sort(by_signature.begin(), by_signature.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  g.variants.clear();
  for (size_t i = 0; i < by_signature.size(); ++i) {
    Variant& v = by_signature[i].second;
    if (i == 0 || by_signature[i].first != by_signature[i - 1].first) {
      g.variants.push_back(std::move(v));
      continue;
    }
    Variant& into = g.variants.back();
    into.count += v.count;
    if (v.first_seed < into.first_seed) {
      into.outcome = std::move(v.outcome);
      into.first_seed = v.first_seed;
      into.reproduce = std::move(v.reproduce);
    }
  }
  std::sort(g.variants.begin(), g.variants.end(), VariantLess);
}

}  // namespace

std::string FailureGroup::Shape() const { return OutcomeShape(outcome); }

bool Summary::HasProgramFailures() const {
  return std::any_of(failures.begin(), failures.end(),
                     [](const FailureGroup& g) { return g.outcome.kind != Kind::kUnsupported; });
}

bool Summary::HasUnsupported() const {
  return std::any_of(failures.begin(), failures.end(),
                     [](const FailureGroup& g) { return g.outcome.kind == Kind::kUnsupported; });
}

void AddFailure(Summary& summary, const Outcome& outcome, uint64_t seed, const std::string& reproduce) {
  LS_CHECK_MSG(outcome.failed(), "a passing seed is no failure");
  summary.failures.push_back(
      {outcome, GroupKey(outcome, summary.group_by), seed, {seed}, reproduce, {{outcome, 1, seed, reproduce}}});
}

void SortFailures(Summary& summary) {
  std::vector<FailureGroup> groups = std::move(summary.failures);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.key < b.key; });
  summary.failures.clear();
  for (FailureGroup& g : groups) {
    if (!summary.failures.empty() && summary.failures.back().key == g.key) {
      FoldGroup(summary.failures.back(), g);
    } else {
      summary.failures.push_back(std::move(g));
    }
  }
  for (FailureGroup& g : summary.failures) {
    std::sort(g.seeds.begin(), g.seeds.end());
    FoldVariants(g);
    uint64_t counted = 0;
    for (const Variant& v : g.variants) counted += v.count;
    LS_CHECK_MSG(counted == g.seeds.size(), "a group's variants do not add up to its seeds");
  }
  std::sort(summary.failures.begin(), summary.failures.end(), GroupLess);
}

void AddTests(Summary& summary, uint64_t seed, const std::vector<TestResult>& tests) {
  constexpr size_t kSeedsKept = 20;
  // A test reported twice in one run (mocha: a hook that fails after its test passed) counts once, as
  // failed if either report is a failure. Tests are found by (file, name) through maps: a suite's
  // thousands of tests times its seeds stay cheap.
  std::map<std::pair<std::string_view, std::string_view>, size_t> seen;  // into `once`
  std::vector<const TestResult*> once;
  for (const TestResult& t : tests) {
    auto [at, fresh] = seen.emplace(std::make_pair(std::string_view(t.file), std::string_view(t.name)),
                                    once.size());
    if (fresh) {
      once.push_back(&t);
    } else if (!t.passed && once[at->second]->passed) {
      once[at->second] = &t;
    }
  }
  std::map<std::pair<std::string, std::string>, size_t> tallied;  // into summary.tests
  for (size_t i = 0; i < summary.tests.size(); ++i) {
    tallied.emplace(std::make_pair(summary.tests[i].file, summary.tests[i].name), i);
  }
  for (const TestResult* t : once) {
    auto found = tallied.find(std::make_pair(t->file, t->name));
    if (found == tallied.end()) {
      TestTally tally;
      tally.name = t->name;
      tally.file = t->file;
      summary.tests.push_back(std::move(tally));
    }
    TestTally& k = found == tallied.end() ? summary.tests.back() : summary.tests[found->second];
    ++k.runs;
    if (t->passed) continue;
    if (k.failed++ == 0) k.message = t->message;
    if (k.failed_seeds.size() < kSeedsKept) k.failed_seeds.push_back(seed);
  }
}

std::string SummaryToJson(const Summary& s) {
  json failures = json::array();
  for (const FailureGroup& g : s.failures) {
    json variants = json::array();
    for (const Variant& v : g.variants) {
      variants.push_back({{"message", v.outcome.message},
                          {"top_frame", v.outcome.top_frame},
                          {"site", v.outcome.site},
                          {"count", v.count},
                          {"first_seed", v.first_seed},
                          {"reproduce", v.reproduce}});
    }
    failures.push_back({{"kind", KindName(g.outcome.kind)},
                        {"message", g.outcome.message},
                        {"top_frame", g.outcome.top_frame},
                        {"site", g.outcome.site},
                        {"shape", g.Shape()},
                        {"signature", g.key},
                        {"first_seed", g.first_seed},
                        {"count", g.seeds.size()},
                        {"seeds", g.seeds},
                        {"reproduce", g.reproduce},
                        {"variants", std::move(variants)}});
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
            {"incomplete", !s.interrupted.empty()},
            {"interrupted", s.interrupted},
            {"coverage", s.coverage},
            {"group_by", GroupByName(s.group_by)},
            {"failures", std::move(failures)},
            {"merged_from", s.merged_from},
            {"stats", {{"wall_s", s.wall_s}, {"runs_per_s", s.wall_s > 0 ? s.runs / s.wall_s : 0.0}}}};
  if (!s.tests.empty()) {
    json tests = json::array();
    for (const TestTally& t : s.tests) {
      tests.push_back({{"name", t.name}, {"file", t.file}, {"runs", t.runs}, {"failed", t.failed},
                       {"failed_seeds", t.failed_seeds}, {"message", t.message}, {"reproduce", t.reproduce}});
    }
    j["tests"] = std::move(tests);
  }
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

// One failure group of a summary's "failures", grouped by `group_by`. Throws json::exception on a
// missing or mistyped field.
absl::StatusOr<FailureGroup> FailureGroupFromJson(const json& f, GroupBy group_by) {
  FailureGroup g;
  if (!KindFromName(f.at("kind").get<std::string>(), &g.outcome.kind) || !g.outcome.failed()) {
    return absl::InvalidArgumentError("unknown failure kind " + f.at("kind").dump());
  }
  g.outcome.message = f.at("message").get<std::string>();
  g.outcome.top_frame = f.at("top_frame").get<std::string>();
  g.outcome.site = f.value("site", "");
  g.key = GroupKey(g.outcome, group_by);
  g.first_seed = f.at("first_seed").get<uint64_t>();
  g.seeds = f.at("seeds").get<std::vector<uint64_t>>();
  g.reproduce = f.at("reproduce").get<std::string>();
  if (!std::is_sorted(g.seeds.begin(), g.seeds.end()) || g.seeds.empty() || g.seeds[0] != g.first_seed) {
    return absl::InvalidArgumentError("failure group " + f.at("message").dump() +
                                      ": its seeds are not ascending from its first seed");
  }
  uint64_t counted = 0;
  if (!f.contains("variants")) {
    g.variants.push_back({g.outcome, g.seeds.size(), g.first_seed, g.reproduce});
    counted = g.seeds.size();
  }
  for (const json& v : f.value("variants", json::array())) {
    Outcome o = g.outcome;
    o.message = v.at("message").get<std::string>();
    o.top_frame = v.at("top_frame").get<std::string>();
    o.site = v.value("site", "");
    g.variants.push_back(
        {o, v.at("count").get<uint64_t>(), v.at("first_seed").get<uint64_t>(), v.at("reproduce").get<std::string>()});
    counted += g.variants.back().count;
  }
  if (counted != g.seeds.size()) {
    return absl::InvalidArgumentError("failure group " + f.at("message").dump() + ": its variants count " +
                                      std::to_string(counted) + " seeds, not " + std::to_string(g.seeds.size()));
  }
  return g;
}

// The summary's fields other than its failures. Throws json::exception on a missing or mistyped field.
absl::StatusOr<Summary> SummaryFieldsFromJson(const json& j) {
  Summary s;
  s.script = j.at("script").get<std::string>();
  s.args = j.at("args").get<std::vector<std::string>>();
  s.strategy = j.at("strategy").get<std::string>();
  s.backend = j.at("backend").get<std::string>();
  s.run_flags = j.at("run_flags").get<std::string>();
  if (j.contains("node")) {  // summaries from before loopsim ran the user's node have none
    s.node = j.at("node").at("version").get<std::string>();
    s.node_path = j.at("node").at("path").get<std::string>();
  }
  s.seed_start = j.at("seed_start").get<uint64_t>();
  s.seeds = j.at("seeds").get<uint64_t>();
  s.shard_index = j.at("shard").at("index").get<uint32_t>();
  s.shard_count = j.at("shard").at("count").get<uint32_t>();
  s.runs = j.at("runs").get<uint64_t>();
  s.failed = j.at("failed").get<uint64_t>();
  s.stopped_early = j.at("stopped_early").get<bool>();
  s.interrupted = j.value("interrupted", "");
  s.coverage = j.at("coverage").get<std::string>();
  s.merged_from = j.value("merged_from", uint64_t{1});
  s.wall_s = j.contains("stats") ? j.at("stats").value("wall_s", 0.0) : 0.0;
  // A summary without "group_by" was written before failures were grouped by shape: its groups are
  // exact failures, each its own only variant.
  const std::string group_by = j.value("group_by", std::string(GroupByName(GroupBy::kMessage)));
  if (!GroupByFromName(group_by, &s.group_by)) {
    return absl::InvalidArgumentError("unknown \"group_by\": \"" + group_by + "\"");
  }
  return s;
}

}  // namespace

absl::StatusOr<Summary> SummaryFromJson(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return absl::InvalidArgumentError("not a JSON object");
  if (j.value("version", 0) != 1) {
    return absl::InvalidArgumentError("not an explore summary (expected \"version\": 1)");
  }
  try {
    absl::StatusOr<Summary> s = SummaryFieldsFromJson(j);
    if (!s.ok()) return s.status();
    for (const json& f : j.at("failures")) {
      absl::StatusOr<FailureGroup> g = FailureGroupFromJson(f, s->group_by);
      if (!g.ok()) return g.status();
      s->failures.push_back(*std::move(g));
    }
    if (s->failed > s->runs) return absl::InvalidArgumentError("more failed seeds than seeds run");
    return s;
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(std::string("missing or mistyped field: ") + e.what());
  }
}

std::string SummaryToJUnit(const Summary& s) {
  const std::string suite = "loopsim explore " + s.script;
  const size_t tests = 1 + s.failures.size();
  const size_t failures = s.failures.size() + (s.failures.empty() ? 0 : 1);
  const std::string errors = s.interrupted.empty() ? "0" : "1";
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"loopsim\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + errors + "\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "  <testsuite name=\"" + XmlEscape(suite) + "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + errors + "\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "    <properties>\n      <property name=\"node\" value=\"" + XmlEscape(s.node) + "\"/>\n"
       "      <property name=\"node_path\" value=\"" + XmlEscape(s.node_path) + "\"/>\n"
       "      <property name=\"backend\" value=\"" + XmlEscape(s.backend) + "\"/>\n";
  if (!s.interrupted.empty()) x += "      <property name=\"interrupted\" value=\"" + XmlEscape(s.interrupted) + "\"/>\n";
  x += "    </properties>\n";
  const std::string sweep = "sweep: " + std::to_string(s.runs) + " " + (s.strategy == "exhaustive" ? "schedules" : "seeds") +
                            " (" + s.strategy + ", " + s.backend + ")";
  x += "    <testcase classname=\"loopsim.explore\" name=\"" + XmlEscape(sweep) + "\" time=\"" + Seconds(s.wall_s) +
       "\">\n";
  if (!s.failures.empty()) {
    const std::string msg = std::to_string(s.failures.size()) + " distinct failure(s) in " +
                            std::to_string(s.failed) + " of " + std::to_string(s.runs) + " runs (grouped by " +
                            std::string(GroupByName(s.group_by)) + ")";
    x += "      <failure message=\"" + XmlEscape(msg) + "\" type=\"explore\">" + XmlEscape(SummaryToText(s)) +
         "</failure>\n";
  }
  if (!s.interrupted.empty()) {
    // The sweep did not finish: an error (it could not complete), not a failure of the program.
    const std::string msg = "interrupted by " + s.interrupted + " after " + std::to_string(s.runs) + " runs";
    x += "      <error message=\"" + XmlEscape(msg) + "\" type=\"interrupted\"/>\n";
  }
  x += "    </testcase>\n";
  for (const FailureGroup& g : s.failures) {
    x += "    <testcase classname=\"loopsim.explore." + std::string(KindName(g.outcome.kind)) + "\" name=\"" +
         XmlEscape(TestName(g, s.group_by)) + "\" time=\"0\">\n";
    std::string body = std::string(KindName(g.outcome.kind)) + ": " + Headline(g, s.group_by) + "\n";
    if (const std::string where = Where(g.outcome); !where.empty()) body += where + "\n";
    body += GroupBody(g, s, "") + "replay: " + g.reproduce + "\n";
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
  if (!s.interrupted.empty()) {
    t += "interrupted by " + s.interrupted + ": the " + unit + " that finished are reported; the rest did not run\n";
  }
  if (!s.coverage.empty()) t += s.coverage + "\n";
  int n = 0;
  for (const FailureGroup& g : s.failures) {
    t += "\n" + std::to_string(++n) + ") " + std::string(KindName(g.outcome.kind)) + ": " + Headline(g, s.group_by) +
         "\n";
    if (const std::string where = Where(g.outcome); !where.empty()) t += "   " + where + "\n";
    t += GroupBody(g, s, "   ");
    t += "   replay: " + g.reproduce + "\n";
  }
  return t;
}

absl::StatusOr<Summary> MergeSummaries(const std::vector<Summary>& shards) {
  if (shards.empty()) return absl::InvalidArgumentError("nothing to merge");
  const Summary& first = shards[0];
  std::set<uint32_t> seen;
  Summary m = first;
  m.runs = m.failed = 0;
  m.failures.clear();
  m.stopped_early = false;
  m.interrupted.clear();
  m.merged_from = 0;
  m.wall_s = 0;
  m.shard_index = m.shard_count = 1;
  for (const Summary& s : shards) {
    if (s.script != first.script || s.args != first.args || s.strategy != first.strategy ||
        s.backend != first.backend || s.run_flags != first.run_flags || s.node != first.node ||
        s.seed_start != first.seed_start ||
        s.seeds != first.seeds || s.shard_count != first.shard_count) {
      return absl::InvalidArgumentError(
          "the summaries are not shards of one sweep (program, options or seed range differ)");
    }
    if (s.group_by != first.group_by) {
      return absl::InvalidArgumentError("the shards group failures differently (--group-by " +
                                        std::string(GroupByName(first.group_by)) + " and " +
                                        std::string(GroupByName(s.group_by)) + ")");
    }
    if (!seen.insert(s.shard_index).second) {
      return absl::InvalidArgumentError("shard " + std::to_string(s.shard_index) + "/" + std::to_string(s.shard_count) +
                                        " appears twice");
    }
    m.runs += s.runs;
    m.failed += s.failed;
    m.stopped_early = m.stopped_early || s.stopped_early;
    if (m.interrupted.empty()) m.interrupted = s.interrupted;
    m.merged_from += s.merged_from;
    m.wall_s = std::max(m.wall_s, s.wall_s);
    m.failures.insert(m.failures.end(), s.failures.begin(), s.failures.end());
  }
  if (seen.size() != first.shard_count) {
    std::string missing;
    for (uint32_t k = 1; k <= first.shard_count; ++k) {
      if (!seen.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    }
    return absl::InvalidArgumentError("incomplete: shard(s) " + missing + " of " + std::to_string(first.shard_count) +
                                      " missing");
  }
  SortFailures(m);
  return m;
}

namespace {

std::string SeedList(const TestTally& t) {
  std::string seeds;
  for (uint64_t seed : t.failed_seeds) seeds += (seeds.empty() ? "" : ", ") + std::to_string(seed);
  return seeds + (t.failed > t.failed_seeds.size() ? ", ..." : "");
}

}  // namespace

std::string TestsToText(const Summary& s) {
  size_t failing = 0;
  for (const TestTally& t : s.tests) failing += t.failed > 0 ? 1 : 0;
  std::string x = "\ntests: " + std::to_string(s.tests.size()) + " ran, " + std::to_string(failing) +
                  " failed on some seed\n";
  size_t n = 0;
  for (const TestTally& t : s.tests) {
    if (t.failed == 0) continue;
    x += "\n" + std::to_string(++n) + ") " + t.name + (t.file.empty() ? "" : "  (" + t.file + ")") + "\n";
    if (!t.message.empty()) x += "   " + t.message + "\n";
    x += "   failed on " + std::to_string(t.failed) + " of " + std::to_string(t.runs) + " seeds: " + SeedList(t) + "\n";
    x += "   replay: " + t.reproduce + "\n";
  }
  if (failing == 0) return x;
  x += "\nflaky tests (failed seeds / seeds run):\n";
  for (const TestTally& t : s.tests) {
    if (t.failed == 0) continue;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%5.1f%%", 100.0 * static_cast<double>(t.failed) / static_cast<double>(t.runs));
    x += "  " + std::string(rate) + "  " + std::to_string(t.failed) + "/" + std::to_string(t.runs) + "  " + t.name + "\n";
  }
  return x;
}

std::string TestsToJUnit(const Summary& s) {
  size_t failing = 0;
  for (const TestTally& t : s.tests) failing += t.failed > 0 ? 1 : 0;
  const std::string count = std::to_string(s.tests.size()), failed = std::to_string(failing);
  const std::string errors = s.interrupted.empty() ? "0" : "1";
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"loopsim test\" tests=\"" + count + "\" failures=\"" + failed + "\" errors=\"" + errors +
       "\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "  <testsuite name=\"" + XmlEscape("loopsim test " + s.script) + "\" tests=\"" + count + "\" failures=\"" +
       failed + "\" errors=\"" + errors + "\" time=\"" + Seconds(s.wall_s) + "\">\n";
  x += "    <properties>\n      <property name=\"node\" value=\"" + XmlEscape(s.node) + "\"/>\n"
       "      <property name=\"seeds\" value=\"" + std::to_string(s.runs) + "\"/>\n";
  if (!s.interrupted.empty()) x += "      <property name=\"interrupted\" value=\"" + XmlEscape(s.interrupted) + "\"/>\n";
  x += "    </properties>\n";
  for (const TestTally& t : s.tests) {
    x += "    <testcase classname=\"" + XmlEscape(t.file.empty() ? "loopsim.test" : t.file) + "\" name=\"" +
         XmlEscape(t.name) + "\" time=\"0\">\n";
    if (t.failed > 0) {
      const std::string body = t.message + "\nfailed on " + std::to_string(t.failed) + " of " +
                               std::to_string(t.runs) + " seeds: " + SeedList(t) + "\nreplay: " + t.reproduce + "\n";
      x += "      <failure message=\"" + XmlEscape(t.message) + "\" type=\"flaky\">" + XmlEscape(body) + "</failure>\n";
    }
    x += "    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

}  // namespace loopsim::sim
