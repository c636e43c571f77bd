// See schedule.h.
#include "fakeos/schedule.h"

#include <nlohmann/json.hpp>

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

json ScheduleJson(const Schedule& schedule) {
  json decisions = json::array();
  for (const Decision& d : schedule.decisions) decisions.push_back({SiteName(d.site), d.n, d.value});
  json j = {{"version", 1}, {"seed", schedule.seed}};
  if (schedule.script) j["script"] = {{"path", schedule.script->path}, {"hash", HashHex(schedule.script->hash)}};
  j["decisions"] = std::move(decisions);
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

bool ParseSchedule(const json& j, Schedule* out, std::string* error) {
  if (!j.is_object()) {
    *error = "a schedule is a JSON object";
    return false;
  }
  if (!j.contains("version") || j["version"] != 1) {
    *error = "unsupported schedule version (expected \"version\": 1)";
    return false;
  }
  if (!j.contains("seed") || !j["seed"].is_number_unsigned()) {
    *error = "\"seed\" must be a whole number";
    return false;
  }
  out->seed = j["seed"].get<uint64_t>();
  out->script.reset();
  if (j.contains("script")) {
    const json& script = j["script"];
    ScriptIdentity identity;
    if (!script.is_object() || !script.contains("path") || !script["path"].is_string() || !script.contains("hash") ||
        !ParseHash(script["hash"], &identity.hash)) {
      *error = "\"script\" must be {\"path\": PATH, \"hash\": 16 hex digits}";
      return false;
    }
    identity.path = script["path"].get<std::string>();
    out->script = std::move(identity);
  }
  if (!j.contains("decisions") || !j["decisions"].is_array()) {
    *error = "\"decisions\" must be an array";
    return false;
  }
  out->decisions.clear();
  size_t index = 0;
  for (const json& d : j["decisions"]) {
    Site site;
    const std::string where = "decision " + std::to_string(index);
    if (!d.is_array() || d.size() != 3 || !d[0].is_string() || !d[1].is_number_unsigned() ||
        !d[2].is_number_unsigned()) {
      *error = where + " must be [site, alternatives, choice]";
      return false;
    }
    if (!SiteFromName(d[0].get<std::string>(), &site)) {
      *error = where + " names an unknown site \"" + d[0].get<std::string>() + "\"";
      return false;
    }
    const uint64_t n = d[1].get<uint64_t>(), v = d[2].get<uint64_t>();
    if (n < 2 || v >= n) {
      *error = where + " has choice " + std::to_string(v) + " of " + std::to_string(n) + " alternatives";
      return false;
    }
    out->decisions.push_back({site, n, v});
    ++index;
  }
  return true;
}

}  // namespace

std::string ScheduleToJson(const Schedule& schedule) { return ScheduleJson(schedule).dump() + "\n"; }

bool ScheduleFromJson(std::string_view text, Schedule* out, std::string* error) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    *error = "not valid JSON";
    return false;
  }
  return ParseSchedule(j, out, error);
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
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

bool RunRecordFromJson(std::string_view text, RunRecord* out, std::string* error) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    *error = "not valid JSON";
    return false;
  }
  if (!ParseSchedule(j, &out->schedule, error)) return false;
  if (!j.contains("stop") || !j["stop"].is_string() || !j.contains("exit_code") || !j["exit_code"].is_number_integer()) {
    *error = "a run record needs \"stop\" and \"exit_code\"";
    return false;
  }
  out->stop = j["stop"].get<std::string>();
  out->exit_code = j["exit_code"].get<int>();
  out->message = j.value("message", "");
  out->trace_hash = j.value("trace_hash", uint64_t{0});
  out->trace_events = j.value("trace_events", uint64_t{0});
  out->virtual_ns = j.value("virtual_ns", int64_t{0});
  out->node_version = j.value("node", std::string());
  out->exit_frame = j.value("exit_frame", "");
  out->stderr_frame = j.value("stderr_frame", "");
  out->fatal = j.value("fatal", "");
  out->tests.clear();
  if (j.contains("tests") && j["tests"].is_array()) {
    for (const json& t : j["tests"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) {
        *error = "a test of a run record needs a \"name\"";
        return false;
      }
      out->tests.push_back(TestResult{t["name"].get<std::string>(), t.value("file", ""), t.value("passed", true),
                                      t.value("message", "")});
    }
  }
  out->stdin_file.clear();
  out->stdin_hash = 0;
  if (j.contains("stdin")) {
    const json& in = j["stdin"];
    if (!in.is_object() || !in.contains("file") || !in["file"].is_string() || !in.contains("hash") ||
        !ParseHash(in["hash"], &out->stdin_hash)) {
      *error = "\"stdin\" must be {\"file\": NAME, \"hash\": 16 hex digits}";
      return false;
    }
    out->stdin_file = in["file"].get<std::string>();
  }
  return true;
}

}  // namespace loopsim
