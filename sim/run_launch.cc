// See run_launch.h.
#include "sim/run_launch.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "fakeos/base/check.h"
#include "fakeos/base/hash.h"
#include "fakeos/faults.h"
#include "fakeos/schedule.h"
#include "runtime/node/host.h"
#include "sim/check.h"
#include "sim/chrome_trace.h"
#include "sim/host_files.h"
#include "sim/invariants.h"
#include "sim/node_binary.h"

namespace loopsim::sim {

namespace {

std::string HostCwd() {
  std::vector<char> buf(4096);
  while (getcwd(buf.data(), buf.size()) == nullptr) {
    if (buf.size() > (1 << 20)) return "/";
    buf.resize(buf.size() * 2);
  }
  return buf.data();
}

bool HostExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// The nearest folder at or above `dir` that holds a package.json or a .git (a folder, or a worktree's
// file), below the file system's root; "" when there is none.
std::string NearestProjectRoot(std::string dir) {
  for (; dir != "/"; dir = Dirname(dir)) {
    if (HostExists(dir + "/package.json") || HostExists(dir + "/.git")) return dir;
  }
  return "";
}

bool Inside(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

// The host folders the program sees read-only besides its own: --root, else the project roots above the
// working directory and above the script (one of them when one holds the other).
absl::StatusOr<std::vector<std::string>> ProjectRoots(const std::string& root_flag, const std::string& cwd,
                                                      const std::string& script) {
  if (!root_flag.empty()) {
    struct stat st;
    const std::string root = RealPath(root_flag);
    if (root.empty() || stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError("--root " + root_flag + " is not a folder");
    }
    if (root == "/") return absl::InvalidArgumentError("--root / would show the whole host to the program");
    return std::vector<std::string>{root};
  }
  const std::string script_dir = RealPath(Dirname(script[0] == '/' ? script : cwd + "/" + script));
  std::vector<std::string> roots;
  for (const std::string& from : {cwd, script_dir}) {
    const std::string root = from.empty() ? "" : NearestProjectRoot(from);
    if (root.empty()) continue;
    bool covered = false;
    for (std::string& kept : roots) {
      if (Inside(root, kept)) covered = true;
      if (Inside(kept, root)) kept = root, covered = true;
    }
    if (!covered) roots.push_back(root);
  }
  return roots;
}

}  // namespace

std::optional<ScriptIdentity> ScriptIdentityOf(const std::string& script) {
  node_host::ProgramLaunch program;
  program.script = script;
  program.host_cwd = HostCwd();
  return node_host::ReadScriptIdentity(program);
}

absl::Status ScheduleFitsScript(const std::string& schedule_path, const Schedule& schedule,
                                const node_host::ProgramLaunch& program, std::string* warnings) {
  if (!schedule.script) {
    *warnings += "loopsim: warning: the schedule " + schedule_path +
                 " does not say which script it was recorded for (an older loopsim wrote it); replaying it"
                 " without that check\n";
    return absl::OkStatus();
  }
  const std::optional<ScriptIdentity> script = node_host::ReadScriptIdentity(program);
  if (!script) return absl::OkStatus();  // node reports the missing script as `node SCRIPT` does
  if (script->hash == schedule.script->hash) return absl::OkStatus();
  const bool same_path = script->path == schedule.script->path;
  return absl::FailedPreconditionError(
      "the schedule " + schedule_path + " does not fit this run: it was recorded for " + schedule.script->path +
      " (hash " + HashHex(schedule.script->hash) + "), and " +
      (same_path ? "that script has changed since" : "this run is of " + script->path) + " (hash " +
      HashHex(script->hash) + "); --force-schedule replays it anyway");
}

std::vector<std::string> NodeArgv(const node_host::ProgramLaunch& program) {
  std::vector<std::string> argv = {program.node};
  for (const char* flag : node_host::kV8Flags) argv.push_back(flag);
  if (program.max_heap_mb != 0) argv.push_back("--max-old-space-size=" + std::to_string(program.max_heap_mb));
  argv.insert(argv.end(), {"--require", node_host::kBootScriptPath});
  if (!program.preload.empty()) argv.insert(argv.end(), {"--require", node_host::kPreloadPath});
  argv.insert(argv.end(), program.node_options.begin(), program.node_options.end());
  argv.push_back(program.script);
  argv.insert(argv.end(), program.args.begin(), program.args.end());
  return argv;
}

// node's own environment: the host library, the launch, and UTC for ICU's and V8's local time. The
// shell's environment does not reach node (the program sees the simulated machine's, host.h).
std::vector<std::string> NodeEnv(const node_host::Launch& launch) {
  return {"LD_PRELOAD=" + HostLibraryPath(), std::string(node_host::kLaunchVariable) + "=" + LaunchToJson(launch),
          "TZ=UTC", "PATH=/usr/local/bin:/usr/bin:/bin"};
}

namespace {

// What would reach the host past the simulation: the inspector's server and node's own file watcher.
// (node's test runner, --test, runs each file as a node child process, which the simulation runs.)
absl::Status RefuseHostNodeOptions(const std::vector<std::string>& node_options) {
  for (const std::string& option : node_options) {
    for (const char* refused : {"--inspect", "--debug", "--watch"}) {
      const std::string name = option.substr(0, option.find('='));
      if (name.rfind(refused, 0) == 0) {
        return absl::InvalidArgumentError("--node-option " + option +
                                          " is not supported: it runs outside the simulation");
      }
    }
  }
  return absl::OkStatus();
}

// The program's part of the launch: which node runs what, where, seeing which project folders. The
// preload is set last (PreloadFor), once --check has had its say.
absl::StatusOr<node_host::ProgramLaunch> ProgramFor(const RunCommand& cmd) {
  node_host::ProgramLaunch program;
  absl::StatusOr<std::string> node = ResolveNode(cmd.flags.node);
  if (!node.ok()) return node.status();
  program.node = *node;
  if (absl::Status refused = RefuseHostNodeOptions(cmd.flags.node_options); !refused.ok()) return refused;
  program.script = cmd.script;
  program.args = cmd.args;
  program.node_options = cmd.flags.node_options;
  program.env = cmd.flags.env;
  program.host_cwd = HostCwd();
  absl::StatusOr<std::vector<std::string>> roots = ProjectRoots(cmd.flags.root, program.host_cwd, cmd.script);
  if (!roots.ok()) return roots.status();
  program.project_roots = *roots;
  program.hosts = cmd.flags.hosts;
  program.commands = cmd.flags.commands;
  program.backend = cmd.flags.backend;
  if (cmd.flags.report_tests) program.reporters = LOOPSIM_REPORTERS_DIR;
  program.max_heap_mb = cmd.flags.max_memory_mb;
  return program;
}

// --schedule: the seed replays the file (by its absolute path) and draws from the schedule's own seed.
absl::Status UseSchedule(const RunCommand& cmd, const node_host::ProgramLaunch& program, PreparedRun* run) {
  absl::StatusOr<Schedule> schedule = ReadScheduleFile(cmd.schedule_path);
  if (!schedule.ok()) return schedule.status();
  node_host::SeedLaunch& seed = run->launch.seed;
  const std::string absolute = RealPath(cmd.schedule_path);
  seed.schedule_path = absolute.empty() ? cmd.schedule_path : absolute;
  run->seed = schedule->seed;
  seed.force_schedule = cmd.force_schedule;
  if (cmd.force_schedule) return absl::OkStatus();
  return ScheduleFitsScript(cmd.schedule_path, *schedule, program, &run->warnings);
}

// --faults: a named profile, or a profile file whose text the seed carries.
absl::Status UseFaults(const std::string& faults, node_host::SeedLaunch* seed) {
  FaultProfile profile;
  if (FaultProfile::Named(faults, &profile)) {
    seed->faults = faults;
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> text = ReadFile(faults);
  if (!text.ok()) {
    return absl::NotFoundError("--faults " + faults + " is neither none, light, heavy nor a readable profile file");
  }
  if (absl::StatusOr<FaultProfile> parsed = FaultProfile::Parse(*text); !parsed.ok()) {
    return absl::InvalidArgumentError(faults + " is not a fault profile: " + std::string(parsed.status().message()));
  }
  seed->faults = *text;
  seed->faults_is_text = true;
  return absl::OkStatus();
}

// The seed's part of the launch that the flags give as they are: stdin, strategy, budgets, test hooks,
// and where the trace and the record go.
absl::Status SeedFromFlags(const RunCommand& cmd, node_host::SeedLaunch* seed) {
  seed->seed = cmd.seed;
  if (!cmd.flags.stdin_path.empty()) {
    const std::string absolute = RealPath(cmd.flags.stdin_path);
    if (absolute.empty()) return absl::NotFoundError("--stdin: cannot read " + cmd.flags.stdin_path);
    seed->stdin_path = absolute;
    seed->stdin_name = cmd.stdin_name.empty() ? cmd.flags.stdin_path : cmd.stdin_name;
  }
  seed->allow_addons = cmd.flags.allow_addons;
  seed->strategy = cmd.flags.strategy;
  seed->pct_depth = cmd.flags.pct_depth;
  seed->pct_horizon = cmd.flags.pct_horizon;
  seed->max_virtual_ms = cmd.flags.max_virtual_ms;
  seed->max_iterations = cmd.flags.max_iterations;
  seed->test_segv_seed = cmd.test_segv_seed;
  seed->test_nondeterministic_counter = cmd.test_nondeterministic_counter;
  seed->trace_path = cmd.trace_path;
  seed->record_path = cmd.record_path;
  seed->record_decisions = !cmd.record_path.empty();  // the record is the decision log's only reader
  return absl::OkStatus();
}

// With --trace-format chrome the run writes JSON Lines to a scratch file (which --check reads too); at the
// end it becomes the Trace Event Format file that was asked for.
absl::Status UseChromeTrace(const RunCommand& cmd, PreparedRun* run) {
  if (cmd.trace_format != "chrome" || cmd.trace_path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> scratch = TempFile("loopsim-trace", ".jsonl");
  if (!scratch.ok()) return scratch.status();
  run->chrome_jsonl = *scratch;
  run->chrome_out = cmd.trace_path;
  run->scratch.push_back(*scratch);
  run->launch.seed.trace_path = *scratch;
  return absl::OkStatus();
}

// Test mutations break a rule on purpose: the loop's own go to the seed (the host refuses a name it does
// not know, exit 2); the check preload's, under --check, are returned.
std::vector<std::string> SplitMutations(const std::vector<std::string>& mutations, node_host::SeedLaunch* seed) {
  std::vector<std::string> preload_mutations;
  for (const std::string& name : mutations) {
    if (IsCheckPreloadMutation(name)) {
      preload_mutations.push_back(name);
    } else {
      seed->test_mutations.push_back(name);
    }
  }
  return preload_mutations;
}

// The preload node requires before the program, resolved: the user's, or under --check the check's own
// (which then reads the trace it sets up).
absl::Status UsePreload(const RunCommand& cmd, const std::vector<std::string>& preload_mutations, PreparedRun* run) {
  std::string preload = cmd.flags.preload;
  if (cmd.flags.check) {
    absl::StatusOr<CheckSetUp> set_up = SetUpCheck(cmd.flags.preload, preload_mutations, run->launch.seed.trace_path);
    if (!set_up.ok()) return set_up.status();
    preload = set_up->preload;
    run->launch.seed.trace_path = set_up->trace;
    run->check = true;
    run->check_trace = set_up->trace;
    run->scratch.insert(run->scratch.end(), set_up->scratch.begin(), set_up->scratch.end());
  } else if (!preload_mutations.empty()) {
    return absl::InvalidArgumentError("test mutation '" + preload_mutations[0] + "' needs --check");
  }
  if (preload.empty()) return absl::OkStatus();
  run->launch.program.preload = RealPath(preload);
  if (run->launch.program.preload.empty()) return absl::NotFoundError("cannot read the preload " + preload);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Schedule> ReadScheduleFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return absl::NotFoundError("cannot read the schedule file " + path);
  absl::StatusOr<Schedule> schedule = ScheduleFromJson(*text);
  if (!schedule.ok()) {
    return absl::InvalidArgumentError(path + " is not a schedule: " + std::string(schedule.status().message()));
  }
  return schedule;
}

absl::StatusOr<PreparedRun> PrepareRun(const RunCommand& cmd) {
  PreparedRun run;
  absl::StatusOr<node_host::ProgramLaunch> program = ProgramFor(cmd);
  if (!program.ok()) return program.status();
  run.launch.program = *std::move(program);
  run.seed = cmd.seed;
  if (!cmd.schedule_path.empty()) {
    if (absl::Status used = UseSchedule(cmd, run.launch.program, &run); !used.ok()) return used;
  }
  node_host::SeedLaunch& seed = run.launch.seed;
  if (absl::Status set = SeedFromFlags(cmd, &seed); !set.ok()) return set;
  if (absl::Status used = UseFaults(cmd.flags.faults, &seed); !used.ok()) return used;
  const std::vector<std::string> preload_mutations = SplitMutations(cmd.test_mutations, &seed);
  if (absl::Status used = UseChromeTrace(cmd, &run); !used.ok()) return used;
  if (absl::Status used = UsePreload(cmd, preload_mutations, &run); !used.ok()) return used;
  LS_CHECK_MSG(!run.check || (!run.check_trace.empty() && run.check_trace == seed.trace_path),
               "--check reads a trace other than the one the run writes");
  run.node_argv = NodeArgv(run.launch.program);
  run.node_env = NodeEnv(run.launch);
  return run;
}

namespace {

// Makes the run record (when the run left one) say that the run ended with `first` broken. The seed is
// left out of the message so that seeds breaking the same rule the same way group together.
absl::Status RecordViolation(const std::string& record_path, const Violation& first) {
  if (record_path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> text = ReadFile(record_path);
  if (!text.ok()) return absl::OkStatus();
  absl::StatusOr<RunRecord> parsed = RunRecordFromJson(*text);
  if (!parsed.ok()) return absl::OkStatus();
  RunRecord& record = *parsed;
  record.stop = std::string(trace::stop::kInvariant);
  record.exit_code = kInvariantViolationExit;
  record.message = first.invariant + ": " + first.message;
  return WriteFile(record_path, RunRecordToJson(record));
}

}  // namespace

void FinishRun(const PreparedRun& run, RunEnd* end) {
  if (run.check) {
    const CheckResult result = CheckTraceFile(run.check_trace);
    if (!result.parse_error.empty()) {
      end->messages += "loopsim: --check could not read the trace: " + result.parse_error + "\n";
      end->exit_code = 2;
      end->term_signal = 0;
    } else if (!result.violations.empty()) {
      for (const Violation& v : result.violations) end->messages += "loopsim: " + FormatViolation(v, run.seed);
      if (absl::Status recorded = RecordViolation(run.launch.seed.record_path, result.violations.front());
          !recorded.ok()) {
        end->messages += "loopsim: " + std::string(recorded.message()) + "\n";
      }
      end->exit_code = kInvariantViolationExit;
      end->term_signal = 0;
    }
  }
  if (!run.chrome_jsonl.empty()) {
    if (absl::Status converted = ConvertTraceToChrome(run.chrome_jsonl, run.chrome_out); !converted.ok()) {
      end->messages += "loopsim: " + std::string(converted.message()) + "\n";
    }
  }
  for (const std::string& path : run.scratch) unlink(path.c_str());
}

}  // namespace loopsim::sim
