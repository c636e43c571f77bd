// What `loopsim` hands the Node host: the program to run in the user's node binary and the seed to run
// it under. The command line (sim/) builds it and passes it, as one JSON text, to the node process it
// starts with the host library preloaded (environment variable kLaunchVariable); a zygote receives a
// seed's part per request. The host validates nothing the command line has already validated, but
// refuses text it cannot read.
//
// Two halves with one seam, as a run has: ProgramLaunch is everything boot depends on (a zygote boots
// once per ProgramLaunch), SeedLaunch what only the seed does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "fakeos/kernel.h"

namespace loopsim::node_host {

inline constexpr char kLaunchVariable[] = "LOOPSIM_LAUNCH";

struct ProgramLaunch {
  std::string node;                       // host path of the node binary (as resolved by loopsim)
  std::string script;                     // as the user gave it (relative to host_cwd or absolute)
  std::vector<std::string> args;          // the program's own arguments
  std::vector<std::string> node_options;  // the user's own node options, in order
  // Variables set in the simulated machine's environment, in order, over its defaults (HostFacts::env):
  // node reads its environment while it boots, so they are part of what a zygote boots.
  std::vector<std::pair<std::string, std::string>> env;
  std::string host_cwd;                   // the directory loopsim was started in
  // Host folders visible read-only at their own paths: the project's root (--root, or the nearest folder
  // with a package.json or .git above host_cwd and above the script), absolute and without a trailing /.
  std::vector<std::string> project_roots;
  std::string preload;                    // host path of a script to require before the program, or ""
  std::string reporters;  // host folder of loopsim's test reporters, visible at kReportersPath, or ""
  // The network's other hosts (--host NAME=ADDR,...), in order: name and addresses as text (validated).
  std::vector<std::pair<std::string, std::vector<std::string>>> hosts;
  // Commands that are node scripts (--command NAME=SCRIPT): the name a spawn gives, the script's host path
  // (absolute).
  std::vector<std::pair<std::string, std::string>> commands;
  std::string backend = "epoll";          // epoll | kqueue | iocp
  uint64_t max_heap_mb = 0;               // the JavaScript heap's limit (0: V8's own)
  bool warm_up = true;                    // exercise typical builtins at boot (false: a cold boot)

  bool operator==(const ProgramLaunch&) const = default;
};

struct SeedLaunch {
  uint64_t seed = 0;
  std::string schedule_path;  // replay this decision log instead of drawing from the seed
  std::string strategy = "random";  // random | pct
  uint32_t pct_depth = 3;
  uint64_t pct_horizon = 64;
  std::string faults = "none";   // none | light | heavy, or a profile's text (faults_is_text)
  bool faults_is_text = false;
  std::string trace_path;        // "" = no trace file
  std::string record_path;       // where to leave the run record, or ""
  bool record_decisions = true;  // false: the record's decision log is left empty
  // A host file whose bytes the program's fd 0 reads (read when the seed begins), and what the run
  // record calls it; "" = fd 0 reads nothing.
  std::string stdin_path;
  std::string stdin_name;
  // Replay the schedule even where it does not fit the run: another script, or a decision asked at
  // another site or with another number of alternatives (those take the plain choice).
  bool force_schedule = false;
  // Let the program load native addons (process.dlopen): their code runs on the host, unsimulated.
  bool allow_addons = false;
  uint64_t max_virtual_ms = 0;   // 0: the runtime's default budget
  uint64_t max_iterations = 0;   // 0: the runtime's default budget
  std::vector<std::string> test_mutations;  // the loop's own (runtime::SetTestMutation names)
  // Test-only: make loopsim itself misbehave, so the explorer's handling of it can be tested.
  std::optional<uint64_t> test_segv_seed;     // raise SIGSEGV as this seed begins
  std::string test_nondeterministic_counter;  // count runs in this file and mix the count into the seed

  bool operator==(const SeedLaunch&) const = default;
};

struct Launch {
  ProgramLaunch program;
  SeedLaunch seed;
  int zygote_fd = -1;         // >= 0: boot, then serve seeds on this control socket (zygote.h)
  bool zygote_recycles = true;  // a zygote's child runs seed after seed (recycle.h); false: a fork per seed
  int64_t test_zygote_age_ms = 0;  // test-only: a zygote waits this long before it serves
  bool test_recycle_leaves_pages = false;  // test-only: a recycled child's restore leaves written pages
};

// The bytes of a file of the host machine (never the simulated one's); NotFound ("cannot read PATH")
// when it cannot be read.
absl::StatusOr<std::string> ReadHostFile(const std::string& path);

// The identity of the program's main script on the host (its real path and the hash of its bytes), as
// the run record and the schedules loopsim writes name it; nullopt when the script cannot be read.
std::optional<ScriptIdentity> ReadScriptIdentity(const ProgramLaunch& program);

std::string LaunchToJson(const Launch& launch);
absl::StatusOr<Launch> LaunchFromJson(const std::string& text);
std::string SeedLaunchToJson(const SeedLaunch& seed);
absl::StatusOr<SeedLaunch> SeedLaunchFromJson(const std::string& text);

}  // namespace loopsim::node_host
