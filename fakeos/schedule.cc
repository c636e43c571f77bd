#include "fakeos/schedule.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "fakeos/base/check.h"
#include "fakeos/base/hash.h"

namespace loopsim {

namespace {

using nlohmann::json;

bool SiteFromName(std::string_view name, Site* out) {
  for (uint8_t s = 0; s < static_cast<uint8_t>(Site::kCount); ++s) {
    if (SiteName(static_cast<Site>(s)) == name) {
      *out = static_cast<Site>(s);
      return true;
    }
  }
  return false;
}

// A long run makes millions of decisions, so the decisions array is written and read here, not as a
// tree of JSON values (one allocation per number), and everything else of a document by nlohmann::json.
// Keys of a json object are dumped in sorted order, and "decisions" sorts before every other key a
// schedule or record has, so the document is `{"decisions":[...],` followed by the rest's own members:
// the same bytes json's dump of the whole document gives.
constexpr std::string_view kDecisionsOpen = R"({"decisions":[)";

// Appends the decisions as json's compact dump writes them: ["cpu-cost",16,3],["ready-order",2,1].
void AppendDecisions(const std::vector<Decision>& decisions, std::string* out) {
  out->reserve(out->size() + decisions.size() * 20);
  char digits[24];
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (i > 0) *out += ',';
    *out += "[\"";
    *out += SiteName(d.site);  // site names are lower-case words and hyphens: nothing to escape
    *out += "\",";
    out->append(digits, std::to_chars(digits, digits + sizeof(digits), d.n).ptr);
    *out += ',';
    out->append(digits, std::to_chars(digits, digits + sizeof(digits), d.value).ptr);
    *out += ']';
  }
}

// `rest` dumped (its members must all sort after "decisions") with the decisions put first.
std::string DumpWithDecisions(const std::string& rest, const std::vector<Decision>& decisions) {
  LS_CHECK_MSG(rest.size() > 2 && rest.front() == '{' && rest.compare(1, 12, "\"decisions\":") > 0,
               "a schedule's members must sort after \"decisions\"");
  std::string out(kDecisionsOpen);
  AppendDecisions(decisions, &out);
  out += "],";
  out.append(rest, 1);
  return out;
}

// A whole number as JSON writes one (no sign, no leading zero, no fraction), into a uint64_t.
bool ReadUnsigned(std::string_view text, size_t* pos, uint64_t* out) {
  const size_t begin = *pos;
  if (begin >= text.size() || (text[begin] == '0' && begin + 1 < text.size() && text[begin + 1] >= '0' &&
                               text[begin + 1] <= '9')) {
    return false;
  }
  const std::from_chars_result r = std::from_chars(text.data() + begin, text.data() + text.size(), *out);
  if (r.ec != std::errc() || r.ptr == text.data() + begin) return false;
  *pos = static_cast<size_t>(r.ptr - text.data());
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view what) {
  if (text.compare(*pos, what.size(), what) != 0) return false;
  *pos += what.size();
  return true;
}

// Reads a document that opens with a valid decisions array exactly as DumpWithDecisions writes it. On
// success `rest` is the document without it. Anything else (other spacing or key order, a decision
// that is not valid) returns false, and the document is read by json as a whole, which says what is
// wrong with it.
bool ReadLeadingDecisions(std::string_view text, std::vector<Decision>* decisions, std::string* rest) {
  size_t pos = 0;
  if (!Expect(text, &pos, kDecisionsOpen)) return false;
  decisions->clear();
  decisions->reserve(text.size() / 20);  // a decision takes 17 or more bytes
  Site site = Site::kCpuCost;
  std::string_view site_name = SiteName(site);
  while (pos < text.size() && text[pos] != ']') {
    if (!decisions->empty() && !Expect(text, &pos, ",")) return false;
    if (!Expect(text, &pos, "[\"")) return false;
    const size_t quote = text.find('"', pos);
    if (quote == std::string_view::npos) return false;
    const std::string_view name = text.substr(pos, quote - pos);
    if (name != site_name) {
      if (name.find('\\') != std::string_view::npos || !SiteFromName(name, &site)) return false;
      site_name = SiteName(site);
    }
    pos = quote + 1;
    uint64_t n = 0, value = 0;
    if (!Expect(text, &pos, ",") || !ReadUnsigned(text, &pos, &n) || !Expect(text, &pos, ",") ||
        !ReadUnsigned(text, &pos, &value) || !Expect(text, &pos, "]")) {
      return false;
    }
    if (n < 2 || value >= n) return false;
    decisions->push_back({site, n, value});
  }
  if (!Expect(text, &pos, "]")) return false;
  if (pos < text.size() && text[pos] == ',') ++pos;
  *rest = "{";
  rest->append(text.substr(pos));
  return true;
}

// A schedule's members but its decisions.
json ScheduleJson(const Schedule& schedule) {
  json j = {{"version", 1}, {"seed", schedule.seed}};
  if (schedule.script) j["script"] = {{"path", schedule.script->path}, {"hash", HashHex(schedule.script->hash)}};
  return j;
}

// A hash as HashHex writes it.
bool ParseHash(const json& j, uint64_t* out) {
  if (!j.is_string()) return false;
  const std::string text = j.get<std::string>();
  if (text.size() != 16 || text.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
  *out = std::stoull(text, nullptr, 16);
  return true;
}

// Reads a schedule's members; its decisions too unless `decisions_read` (ReadLeadingDecisions has).
absl::Status ParseSchedule(const json& j, Schedule* out, bool decisions_read) {
  if (!j.is_object()) {
    return absl::InvalidArgumentError("a schedule is a JSON object");
  }
  if (!j.contains("version") || j["version"] != 1) {
    return absl::InvalidArgumentError("unsupported schedule version (expected \"version\": 1)");
  }
  if (!j.contains("seed") || !j["seed"].is_number_unsigned()) {
    return absl::InvalidArgumentError("\"seed\" must be a whole number");
  }
  out->seed = j["seed"].get<uint64_t>();
  out->script.reset();
  if (j.contains("script")) {
    const json& script = j["script"];
    ScriptIdentity identity;
    if (!script.is_object() || !script.contains("path") || !script["path"].is_string() || !script.contains("hash") ||
        !ParseHash(script["hash"], &identity.hash)) {
      return absl::InvalidArgumentError("\"script\" must be {\"path\": PATH, \"hash\": 16 hex digits}");
    }
    identity.path = script["path"].get<std::string>();
    out->script = std::move(identity);
  }
  if (decisions_read) return absl::OkStatus();
  if (!j.contains("decisions") || !j["decisions"].is_array()) {
    return absl::InvalidArgumentError("\"decisions\" must be an array");
  }
  out->decisions.clear();
  size_t index = 0;
  for (const json& d : j["decisions"]) {
    Site site;
    const std::string where = "decision " + std::to_string(index);
    if (!d.is_array() || d.size() != 3 || !d[0].is_string() || !d[1].is_number_unsigned() ||
        !d[2].is_number_unsigned()) {
      return absl::InvalidArgumentError(where + " must be [site, alternatives, choice]");
    }
    if (!SiteFromName(d[0].get<std::string>(), &site)) {
      return absl::InvalidArgumentError(where + " names an unknown site \"" + d[0].get<std::string>() + "\"");
    }
    const uint64_t n = d[1].get<uint64_t>(), v = d[2].get<uint64_t>();
    if (n < 2 || v >= n) {
      return absl::InvalidArgumentError(where + " has choice " + std::to_string(v) + " of " + std::to_string(n) +
                                        " alternatives");
    }
    out->decisions.push_back({site, n, v});
    ++index;
  }
  return absl::OkStatus();
}

// Parses a schedule or run record: its decisions by ReadLeadingDecisions when it can, the rest by json.
bool ParseDocument(std::string_view text, json* j, std::vector<Decision>* decisions, bool* decisions_read) {
  std::string rest;
  *decisions_read = ReadLeadingDecisions(text, decisions, &rest);
  if (*decisions_read) {
    *j = json::parse(rest, nullptr, false);
    if (!j->is_discarded() && !(j->is_object() && j->contains("decisions"))) return true;
    *decisions_read = false;
  }
  *j = json::parse(text, nullptr, false);
  return !j->is_discarded();
}

// Parses a schedule or run record as far as its schedule: `j` is the whole document, for a run record's
// other members.
absl::Status ParseScheduleDocument(std::string_view text, json* j, Schedule* out) {
  std::vector<Decision> decisions;
  bool decisions_read = false;
  if (!ParseDocument(text, j, &decisions, &decisions_read)) return absl::InvalidArgumentError("not valid JSON");
  if (absl::Status parsed = ParseSchedule(*j, out, decisions_read); !parsed.ok()) return parsed;
  if (decisions_read) out->decisions = std::move(decisions);
  return absl::OkStatus();
}

}  // namespace

std::string ScheduleToJson(const Schedule& schedule) {
  return DumpWithDecisions(ScheduleJson(schedule).dump(), schedule.decisions) + "\n";
}

absl::StatusOr<Schedule> ScheduleFromJson(std::string_view text) {
  json j;
  Schedule schedule;
  if (absl::Status parsed = ParseScheduleDocument(text, &j, &schedule); !parsed.ok()) return parsed;
  return schedule;
}

std::string RunRecordToJson(const RunRecord& r) {
  json j = ScheduleJson(r.schedule);
  j["stop"] = r.stop;
  j["exit_code"] = r.exit_code;
  j["message"] = r.message;
  j["trace_hash"] = r.trace_hash;
  j["trace_events"] = r.trace_events;
  j["virtual_ns"] = r.virtual_ns;
  if (!r.node_version.empty()) j["node"] = r.node_version;
  if (!r.exit_frame.empty()) j["exit_frame"] = r.exit_frame;
  if (!r.stderr_frame.empty()) j["stderr_frame"] = r.stderr_frame;
  if (!r.fatal.empty()) j["fatal"] = r.fatal;
  for (const TestResult& t : r.tests) {
    json test = {{"name", t.name}, {"passed", t.passed}};
    if (!t.file.empty()) test["file"] = t.file;
    if (!t.message.empty()) test["message"] = t.message;
    j["tests"].push_back(std::move(test));
  }
  if (!r.stdin_file.empty()) j["stdin"] = {{"file", r.stdin_file}, {"hash", HashHex(r.stdin_hash)}};
  // A test's name or message is the program's text, which need not be UTF-8.
  return DumpWithDecisions(j.dump(-1, ' ', false, json::error_handler_t::replace), r.schedule.decisions) + "\n";
}

absl::StatusOr<RunRecord> RunRecordFromJson(std::string_view text) {
  json j;
  RunRecord record;
  if (absl::Status parsed = ParseScheduleDocument(text, &j, &record.schedule); !parsed.ok()) return parsed;
  if (!j.contains("stop") || !j["stop"].is_string() || !j.contains("exit_code") || !j["exit_code"].is_number_integer()) {
    return absl::InvalidArgumentError("a run record needs \"stop\" and \"exit_code\"");
  }
  record.stop = j["stop"].get<std::string>();
  record.exit_code = j["exit_code"].get<int>();
  record.message = j.value("message", "");
  record.trace_hash = j.value("trace_hash", uint64_t{0});
  record.trace_events = j.value("trace_events", uint64_t{0});
  record.virtual_ns = j.value("virtual_ns", int64_t{0});
  record.node_version = j.value("node", std::string());
  record.exit_frame = j.value("exit_frame", "");
  record.stderr_frame = j.value("stderr_frame", "");
  record.fatal = j.value("fatal", "");
  if (j.contains("tests") && j["tests"].is_array()) {
    for (const json& t : j["tests"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) {
        return absl::InvalidArgumentError("a test of a run record needs a \"name\"");
      }
      record.tests.push_back(TestResult{t["name"].get<std::string>(), t.value("file", ""), t.value("passed", true),
                                        t.value("message", "")});
    }
  }
  if (j.contains("stdin")) {
    const json& in = j["stdin"];
    if (!in.is_object() || !in.contains("file") || !in["file"].is_string() || !in.contains("hash") ||
        !ParseHash(in["hash"], &record.stdin_hash)) {
      return absl::InvalidArgumentError("\"stdin\" must be {\"file\": NAME, \"hash\": 16 hex digits}");
    }
    record.stdin_file = in["file"].get<std::string>();
  }
  return record;
}

}  // namespace loopsim
