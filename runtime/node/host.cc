// See host.h.
#include "runtime/node/host.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fakeos/base/check.h"
#include "fakeos/base/hash.h"
#include "runtime/node/background.h"
#include "runtime/node/boot_script.h"
#include "runtime/node/bridge.h"
#include "runtime/node/inject.h"
#include "runtime/node/threads.h"
#include "runtime/node/v8_seed.h"
#include "runtime/node/zygote.h"
#include "runtime/runtime.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::node_host {

namespace {

Launch* g_launch = nullptr;
bool g_began = false;
bool g_allow_addons = false;

[[noreturn]] void Refuse(const std::string& message) {
  std::fprintf(stderr, "loopsim: %s\n", message.c_str());
  std::fflush(stderr);
  _exit(2);
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

bool HostExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// mkdir -p in the virtual file system.
void MakeDirs(Vfs& vfs, const std::string& path) {
  for (size_t j = path.find('/', 1);; j = path.find('/', j + 1)) {
    vfs.Mkdir(path.substr(0, j), 0755);
    if (j == std::string::npos) break;
  }
}

// A read-only file of loopsim's own in the virtual file system.
void WriteFile(Vfs& vfs, const std::string& path, const std::string& text) {
  const int fd = vfs.Open(path, O_WRONLY | O_CREAT | O_TRUNC, 0444);
  LS_CHECK_MSG(fd >= 0, "cannot create a file of loopsim's in the virtual file system");
  LS_CHECK(vfs.Write(fd, text.data(), text.size(), -1) == static_cast<int64_t>(text.size()));
  vfs.Close(fd);
}

// Where this library is on the host: the boot script loads it again, as a Node-API addon.
std::string LibraryPath() {
  Dl_info info{};
  dladdr(reinterpret_cast<void*>(&LibraryPath), &info);
  return info.dli_fname != nullptr ? info.dli_fname : "";
}

// What node reads from /usr/share/nodejs: Debian's Node 18 loads some builtins (acorn, undici, ...) from
// there, next to the libnode it runs on; official builds carry theirs inside.
std::string NodeShareDir() {
  void* anchor = dlsym(RTLD_DEFAULT, "_ZN2v87Isolate10GetCurrentEv");
  Dl_info info{};
  if (anchor != nullptr && dladdr(anchor, &info) != 0 && info.dli_fname != nullptr) {
    const std::string lib = info.dli_fname;  // <prefix>/usr/lib/<triplet>/libnode.so.N
    const size_t usr = lib.rfind("/usr/lib/");
    if (lib.find("libnode.so") != std::string::npos && usr != std::string::npos) {
      const std::string share = lib.substr(0, usr) + "/usr/share/nodejs";
      if (HostExists(share)) return share;
    }
  }
  return "/usr/share/nodejs";
}

// Makes the program's files visible in the virtual file system: the project's roots, its directory, the
// node_modules and package.json files of every directory above it, node's shared builtins, a writable
// /tmp, home and cwd, the boot script and the preload, and the trace sink.
void MountProgram(const ProgramLaunch& program) {
  Vfs& vfs = runtime::Runtime::Get().kernel().vfs();
  const std::string script =
      vfs.Absolute(program.script[0] == '/' ? program.script : program.host_cwd + "/" + program.script);
  const std::string dir = Dirname(script);
  for (const std::string& root : program.project_roots) vfs.MountHost(root, root);
  auto in_project = [&](const std::string& path) {
    for (const std::string& root : program.project_roots) {
      if (path == root || path.rfind(root + "/", 0) == 0) return true;
    }
    return false;
  };
  if (HostExists(dir) && !in_project(dir)) vfs.MountHost(dir, dir);
  for (std::string up = Dirname(dir);; up = Dirname(up)) {
    const std::string base = up == "/" ? "" : up;
    for (const char* name : {"node_modules", "package.json"}) {
      const std::string path = base + "/" + name;
      if (HostExists(path) && path != dir && !in_project(path)) vfs.MountHost(path, path);
    }
    if (up == "/") break;
  }
  const std::string share = NodeShareDir();
  if (HostExists(share)) vfs.MountHost("/usr/share/nodejs", share);
  if (!program.preload.empty()) vfs.MountHost(kPreloadPath, program.preload);
  // A command's script is visible with its folder (its own modules), as the program's is.
  for (const auto& command : program.commands) {
    const std::string folder = Dirname(command.second);
    VfsStat st;
    if (HostExists(folder) && !in_project(folder) && vfs.Stat(folder, &st) != 0) vfs.MountHost(folder, folder);
  }
  uv::SetCommandScripts(program.commands);
  nlohmann::json exec_argv = program.node_options;
  if (!program.preload.empty()) {
    exec_argv.push_back("--require");
    exec_argv.push_back(kPreloadPath);
  }
  MakeDirs(vfs, Dirname(kBootScriptPath));
  WriteFile(vfs, kBootScriptPath, BootScript(LibraryPath(), exec_argv.dump(), program.warm_up));
  vfs.MakeSink(kTraceSinkPath, [](std::string_view text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      uv::TraceProgramEvent(text.substr(start, end - start));
      start = end + 1;
    }
  });
  if (!program.reporters.empty()) {
    vfs.MountHost(kReportersPath, program.reporters);
    vfs.MakeSink(kTestSinkPath, [pending = std::string()](std::string_view text) mutable {
      pending.append(text);
      for (size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1)) {
        const nlohmann::json line = nlohmann::json::parse(pending.substr(0, end), nullptr, false);
        if (!line.is_object() || !line.contains("name") || !line["name"].is_string()) continue;
        runtime::Runtime::Get().AddTest(TestResult{line["name"].get<std::string>(), line.value("file", ""),
                                                   line.value("passed", true), line.value("message", "")});
      }
    });
  }
  MakeDirs(vfs, "/tmp");
  MakeDirs(vfs, runtime::Runtime::Get().kernel().host().homedir);
  MakeDirs(vfs, program.host_cwd);
  vfs.Chdir(program.host_cwd);
}

// The runtime's options for a seed, as `loopsim run` describes it. Input the command line has checked
// can still be unreadable here (a schedule file that went away): that ends the run with exit code 2.
runtime::SeedOptions SeedOptionsFor(const ProgramLaunch& program, const SeedLaunch& launch) {
  runtime::SeedOptions seed;
  seed.seed = launch.seed;
  seed.script = ReadScriptIdentity(program);
  if (!launch.schedule_path.empty()) {
    const absl::StatusOr<std::string> text = ReadHostFile(launch.schedule_path);
    if (!text.ok()) Refuse("cannot read the schedule file " + launch.schedule_path);
    absl::StatusOr<Schedule> parsed = ScheduleFromJson(*text);
    if (!parsed.ok()) Refuse(launch.schedule_path + " is not a schedule: " + std::string(parsed.status().message()));
    Schedule& schedule = *parsed;
    seed.seed = schedule.seed;
    // A decision the program asks for at another site, or with another number of alternatives, than the
    // schedule has at that point: the schedule was recorded for another program (or another version of
    // this one) and replaying on would describe nothing. The command line checked the script's identity.
    ReplayChooser::Misfit misfit;
    if (!launch.force_schedule) {
      misfit = [path = launch.schedule_path](size_t index, const Decision& logged, Site site, uint64_t n) {
        Refuse(
            "the schedule " + path + " does not fit this run: its decision " + std::to_string(index) + " is [" +
            std::string(SiteName(logged.site)) + ", " + std::to_string(logged.n) +
            " alternatives], but the run asks for [" + std::string(SiteName(site)) + ", " + std::to_string(n) +
            " alternatives] there (--force-schedule replays it anyway, taking the plain choice where it does not fit)");
      };
    }
    seed.chooser = std::make_unique<ReplayChooser>(std::move(schedule.decisions), std::move(misfit));
  } else if (!launch.test_nondeterministic_counter.empty()) {
    // Test-only: a seed that depends on how many runs came before (counted in a file), so a re-run of
    // "the same seed" differs, as a real determinism bug would make it.
    uint64_t runs = 0;
    std::ifstream(launch.test_nondeterministic_counter) >> runs;
    std::ofstream(launch.test_nondeterministic_counter, std::ios::trunc) << runs + 1;
    seed.seed = launch.seed ^ Fnv1a64(std::to_string(runs));
  } else if (launch.strategy == "pct") {
    seed.chooser = std::make_unique<PctChooser>(launch.seed, launch.pct_depth, launch.pct_horizon);
  }
  if (launch.test_segv_seed && *launch.test_segv_seed == seed.seed) {
    // Test-only: loopsim itself crashing on one seed, to show a sweep reports it and goes on.
    ::raise(SIGSEGV);
  }
  if (launch.faults_is_text) {
    absl::StatusOr<FaultProfile> parsed = FaultProfile::Parse(launch.faults);
    if (!parsed.ok()) Refuse("not a fault profile: " + std::string(parsed.status().message()));
    seed.faults = *parsed;
  } else if (!FaultProfile::Named(launch.faults, &seed.faults)) {
    Refuse("not a fault profile: " + launch.faults);
  }
  seed.trace_path = launch.trace_path;
  seed.record_path = launch.record_path;
  seed.record_decisions = launch.record_decisions;
  if (!launch.stdin_path.empty()) {
    absl::StatusOr<std::string> bytes = ReadHostFile(launch.stdin_path);
    if (!bytes.ok()) Refuse("cannot read the stdin file " + launch.stdin_path);
    seed.stdin_bytes = *std::move(bytes);
    seed.stdin_name = launch.stdin_name.empty() ? launch.stdin_path : launch.stdin_name;
  }
  if (launch.max_virtual_ms != 0) {
    const uint64_t ms = std::min<uint64_t>(launch.max_virtual_ms, INT64_MAX / 1'000'000);
    seed.virtual_time_budget = Milliseconds(static_cast<int64_t>(ms));
  }
  if (launch.max_iterations != 0) seed.iteration_budget = launch.max_iterations;
  for (const std::string& name : launch.test_mutations) {
    if (!runtime::SetTestMutation(seed.mutations, name)) Refuse("unknown test mutation '" + name + "'");
  }
  return seed;
}

// Runs before node's own initialisation (and before the static initialisers of every other object:
// the library is linked with -z initfirst), with one thread in the process. Without a launch
// description in the environment the library does nothing: it may be inherited by a process that is
// not loopsim's node (a shell wrapper around node).
// glibc passes the environment to constructors; the C library's own environ may not be set up yet.
const char* FindVariable(char** envp, std::string_view name) {
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.size() > name.size() && entry.substr(0, name.size()) == name && entry[name.size()] == '=') {
      return *e + name.size() + 1;
    }
  }
  return nullptr;
}

__attribute__((constructor)) void StartHost(int argc, char** argv, char** envp) {
  const char* text = FindVariable(envp, kLaunchVariable);
  // Not node: a program that starts node (a shell script wrapping it) inherits the library and the
  // launch description, and passes both on.
  if (text == nullptr || dlsym(RTLD_DEFAULT, "uv_run") == nullptr) return;
  absl::StatusOr<Launch> launch = LaunchFromJson(text);
  if (!launch.ok()) Refuse(std::string(launch.status().message()));
  // Nothing started from this process inherits them (the C library's environ is this same array).
  for (const std::string_view name : {std::string_view(kLaunchVariable), std::string_view("LD_PRELOAD")}) {
    char** out = envp;
    for (char** e = envp; *e != nullptr; ++e) {
      const std::string_view entry(*e);
      if (!(entry.size() > name.size() && entry.substr(0, name.size()) == name && entry[name.size()] == '=')) *out++ = *e;
    }
    *out = nullptr;
  }
  g_launch = new Launch(std::move(*launch));

  absl::StatusOr<Injection> injection = InjectIntoNode();
  if (!injection.ok()) Refuse("cannot run " + g_launch->program.node + ": " + std::string(injection.status().message()));

  runtime::RuntimeOptions options;
  options.backend = g_launch->program.backend;
  options.libuv_version = injection->libuv_version;
  options.kernel.host.exepath = g_launch->program.node;
  for (const auto& [name, value] : g_launch->program.env) {
    auto& env = options.kernel.host.env;
    auto it = std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.first == name; });
    if (it != env.end()) {
      it->second = value;
    } else {
      env.emplace_back(name, value);
    }
  }
  for (const auto& [name, addresses] : g_launch->program.hosts) {
    std::vector<IpAddr> ips;
    for (const std::string& a : addresses) {
      IpAddr ip;
      if (!IpAddr::Parse(a, &ip)) Refuse("not an IP address: " + a);
      ips.push_back(ip);
    }
    options.kernel.hosts.emplace_back(name, std::move(ips));
  }
  runtime::Runtime::StartBooting(std::move(options));
  runtime::Runtime::Get().set_host_work(&RunBackgroundWork);
  MountProgram(g_launch->program);
}

}  // namespace

const Launch& CurrentLaunch() {
  LS_CHECK_MSG(g_launch != nullptr, "the Node host was used without a launch description");
  return *g_launch;
}

void BeginProgram(const std::string& node_version) {
  LS_CHECK_MSG(!g_began, "the boot script called into loopsim twice");
  g_began = true;
  runtime::Runtime& rt = runtime::Runtime::Get();
  uv_loop_t* loop = uv_default_loop();
  LS_CHECK_MSG(uv::State(loop).active_reqs == 0, "booting Node left a request in flight");
  rt.set_node_version(node_version);
  CollectBootGarbage();
  UnfixMathRandomSeed();

  SeedLaunch seed = CurrentLaunch().seed;
  ZygoteMarks* marks = nullptr;
  if (CurrentLaunch().zygote_fd >= 0) {
    seed = ServeZygote(CurrentLaunch(), &marks);  // returns in a forked child only
    ForgetThreadsAfterFork();
  }
  g_allow_addons = seed.allow_addons;
  runtime::SeedOptions options = SeedOptionsFor(CurrentLaunch().program, seed);
  if (marks != nullptr) {
    options.on_main_returned = [marks] { MarkMainReturned(marks); };
    options.on_finish = [marks](std::string_view, int) { MarkFinished(marks); };
  }
  const uint64_t v8_seed = options.seed;
  rt.BeginSeed(std::move(options));
  // Which part of the program wrote the last error line (a non-zero exit's message is that line).
  rt.kernel().vfs().ObserveStderr([](std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
    if (std::string frame = ProgramFrame(); !frame.empty()) runtime::Runtime::Get().SetStderrFrame(frame);
  });
  ReseedV8(v8_seed);
  SeedBegan();
}

bool MayLoadAddons() { return !g_began || g_allow_addons; }

void EndProcess(int code) {
  if (runtime::Runtime::Started()) runtime::Runtime::Get().Finish(trace::stop::kExit, code);
  std::fflush(nullptr);
  EndSeedInChild(code);
  _exit(code);
}

}  // namespace loopsim::node_host
