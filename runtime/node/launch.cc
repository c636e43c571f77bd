// See launch.h.
#include "runtime/node/launch.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fakeos/base/hash.h"

// nlohmann 3.11 (Debian 12) has no std::optional: nullopt is written as null.
namespace nlohmann {
template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<T>();
    }
  }
};
}  // namespace nlohmann

namespace loopsim::node_host {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProgramLaunch, node, script, args, node_options, env, host_cwd, project_roots,
                                   preload, reporters, hosts, commands, backend, max_heap_mb, warm_up)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SeedLaunch, seed, schedule_path, strategy, pct_depth, pct_horizon, faults,
                                   faults_is_text, trace_path, record_path, record_decisions, stdin_path, stdin_name,
                                   force_schedule, allow_addons, max_virtual_ms, max_iterations, test_mutations,
                                   test_segv_seed, test_nondeterministic_counter)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Launch, program, seed, zygote_fd, zygote_recycles, test_zygote_age_ms,
                                   test_recycle_leaves_pages)

namespace {

using Json = nlohmann::json;

template <typename T, typename Read>
absl::StatusOr<T> Parse(const std::string& text, const char* what, Read read) {
  try {
    return read(Json::parse(text));
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("unreadable ", what, ": ", e.what()));
  }
}

}  // namespace

absl::StatusOr<std::string> ReadHostFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return absl::NotFoundError("cannot read " + path);
  return text.str();
}

std::optional<ScriptIdentity> ReadScriptIdentity(const ProgramLaunch& program) {
  const std::string given =
      !program.script.empty() && program.script[0] == '/' ? program.script : program.host_cwd + "/" + program.script;
  char* real = realpath(given.c_str(), nullptr);
  if (real == nullptr) return std::nullopt;
  ScriptIdentity identity;
  identity.path = real;
  std::free(real);
  const absl::StatusOr<std::string> bytes = ReadHostFile(identity.path);
  if (!bytes.ok()) return std::nullopt;
  identity.hash = Fnv1a64(*bytes);
  return identity;
}

std::string LaunchToJson(const Launch& launch) { return Json(launch).dump(); }

absl::StatusOr<Launch> LaunchFromJson(const std::string& text) {
  return Parse<Launch>(text, "launch description", [](const Json& j) { return j.get<Launch>(); });
}

std::string SeedLaunchToJson(const SeedLaunch& seed) { return Json(seed).dump(); }

absl::StatusOr<SeedLaunch> SeedLaunchFromJson(const std::string& text) {
  return Parse<SeedLaunch>(text, "seed description", [](const Json& j) { return j.get<SeedLaunch>(); });
}

}  // namespace loopsim::node_host
