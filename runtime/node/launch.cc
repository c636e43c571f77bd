// See launch.h.
#include "runtime/node/launch.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace loopsim::node_host {

namespace {

using Json = nlohmann::json;

Json ProgramToJson(const ProgramLaunch& p) {
  return Json{{"node", p.node},         {"script", p.script},     {"args", p.args},
              {"node_options", p.node_options}, {"host_cwd", p.host_cwd}, {"preload", p.preload},
              {"backend", p.backend},   {"max_heap_mb", p.max_heap_mb}, {"warm_up", p.warm_up}};
}

Json SeedToJson(const SeedLaunch& s) {
  Json j{{"seed", s.seed},
         {"schedule_path", s.schedule_path},
         {"strategy", s.strategy},
         {"pct_depth", s.pct_depth},
         {"pct_horizon", s.pct_horizon},
         {"faults", s.faults},
         {"faults_is_text", s.faults_is_text},
         {"trace_path", s.trace_path},
         {"record_path", s.record_path},
         {"max_virtual_ms", s.max_virtual_ms},
         {"max_iterations", s.max_iterations},
         {"test_mutations", s.test_mutations},
         {"test_nondeterministic_counter", s.test_nondeterministic_counter}};
  if (s.test_segv_seed) j["test_segv_seed"] = *s.test_segv_seed;
  return j;
}

ProgramLaunch ProgramFromJson(const Json& j) {
  ProgramLaunch p;
  j.at("node").get_to(p.node);
  j.at("script").get_to(p.script);
  j.at("args").get_to(p.args);
  j.at("node_options").get_to(p.node_options);
  j.at("host_cwd").get_to(p.host_cwd);
  j.at("preload").get_to(p.preload);
  j.at("backend").get_to(p.backend);
  j.at("max_heap_mb").get_to(p.max_heap_mb);
  j.at("warm_up").get_to(p.warm_up);
  return p;
}

SeedLaunch SeedFromJson(const Json& j) {
  SeedLaunch s;
  j.at("seed").get_to(s.seed);
  j.at("schedule_path").get_to(s.schedule_path);
  j.at("strategy").get_to(s.strategy);
  j.at("pct_depth").get_to(s.pct_depth);
  j.at("pct_horizon").get_to(s.pct_horizon);
  j.at("faults").get_to(s.faults);
  j.at("faults_is_text").get_to(s.faults_is_text);
  j.at("trace_path").get_to(s.trace_path);
  j.at("record_path").get_to(s.record_path);
  j.at("max_virtual_ms").get_to(s.max_virtual_ms);
  j.at("max_iterations").get_to(s.max_iterations);
  j.at("test_mutations").get_to(s.test_mutations);
  j.at("test_nondeterministic_counter").get_to(s.test_nondeterministic_counter);
  if (j.contains("test_segv_seed")) s.test_segv_seed = j.at("test_segv_seed").get<uint64_t>();
  return s;
}

template <typename T, typename Read>
absl::StatusOr<T> Parse(const std::string& text, const char* what, Read read) {
  try {
    return read(Json::parse(text));
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("unreadable ", what, ": ", e.what()));
  }
}

}  // namespace

std::string LaunchToJson(const Launch& launch) {
  return Json{{"program", ProgramToJson(launch.program)},
              {"seed", SeedToJson(launch.seed)},
              {"zygote_fd", launch.zygote_fd},
              {"test_zygote_age_ms", launch.test_zygote_age_ms}}
      .dump();
}

absl::StatusOr<Launch> LaunchFromJson(const std::string& text) {
  return Parse<Launch>(text, "launch description", [](const Json& j) {
    Launch l;
    l.program = ProgramFromJson(j.at("program"));
    l.seed = SeedFromJson(j.at("seed"));
    j.at("zygote_fd").get_to(l.zygote_fd);
    j.at("test_zygote_age_ms").get_to(l.test_zygote_age_ms);
    return l;
  });
}

std::string SeedLaunchToJson(const SeedLaunch& seed) { return SeedToJson(seed).dump(); }

absl::StatusOr<SeedLaunch> SeedLaunchFromJson(const std::string& text) {
  return Parse<SeedLaunch>(text, "seed description", [](const Json& j) { return SeedFromJson(j); });
}

}  // namespace loopsim::node_host
