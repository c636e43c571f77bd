// loopsim: runs a real Node.js program on the simulated event loop (run, replay), and explores, shrinks
// and reports its interleavings (explore, shrink, merge). See README.md.
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fakeos/pct_chooser.h"
#include "fakeos/schedule.h"
#include "runtime/node/host.h"
#include "runtime/node/zygote.h"
#include "runtime/runtime.h"
#include "sim/check.h"
#include "sim/chrome_trace.h"
#include "sim/cli.h"
#include "sim/explore.h"
#include "sim/shrink.h"

namespace {

std::string HostCwd() {
  std::vector<char> buf(4096);
  while (getcwd(buf.data(), buf.size()) == nullptr) {
    if (buf.size() > (1 << 20)) return "/";
    buf.resize(buf.size() * 2);
  }
  return buf.data();
}

// Where the builtins libnode reads from /usr/share/nodejs are on this machine: the copy ci/setup unpacked
// next to the libnode loopsim was built with, else a system-wide installation.
std::string BuiltinsDir() {
  struct stat st;
  if (::stat(LOOPSIM_BUILTINS_DIR, &st) == 0) return LOOPSIM_BUILTINS_DIR;
  return "/usr/share/nodejs";
}

// FNV-1a, for the test-only nondeterminism canary.
uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// What `run` makes of its command line: the runtime's options and the program. Bad input ends the
// process with exit code 2. `run` and the zygote's children both configure a seed with it.
void PrepareRun(const loopsim::sim::RunCommand& cmd, loopsim::runtime::RuntimeOptions* out,
                loopsim::node_host::ProgramOptions* out_program) {
  loopsim::runtime::RuntimeOptions& options = *out;
  loopsim::node_host::ProgramOptions& program = *out_program;
  options.kernel.seed = cmd.seed;
  if (!cmd.schedule_path.empty()) {
    loopsim::Schedule schedule;
    std::string error;
    std::ifstream in(cmd.schedule_path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "loopsim: cannot read the schedule file %s\n", cmd.schedule_path.c_str());
      _exit(2);
    }
    if (!loopsim::ScheduleFromJson(text.str(), &schedule, &error)) {
      std::fprintf(stderr, "loopsim: %s is not a schedule: %s\n", cmd.schedule_path.c_str(), error.c_str());
      _exit(2);
    }
    options.kernel.seed = schedule.seed;
    options.kernel.chooser = std::make_unique<loopsim::ReplayChooser>(std::move(schedule.decisions));
  } else if (!cmd.test_nondeterministic_counter.empty()) {
    // Test-only: a seed that depends on how many runs came before (counted in a file), so a re-run of
    // "the same seed" differs, as a real determinism bug would make it.
    uint64_t runs = 0;
    {
      std::ifstream in(cmd.test_nondeterministic_counter);
      in >> runs;
    }
    std::ofstream(cmd.test_nondeterministic_counter, std::ios::trunc) << runs + 1;
    options.kernel.seed = cmd.seed ^ Fnv1a(std::to_string(runs));
  } else if (cmd.flags.strategy == "pct") {
    options.kernel.chooser =
        std::make_unique<loopsim::PctChooser>(cmd.seed, cmd.flags.pct_depth, cmd.flags.pct_horizon);
  }
  if (cmd.test_segv_seed && *cmd.test_segv_seed == options.kernel.seed) {
    // Test-only: loopsim itself crashing on one seed, to show a sweep reports it and goes on.
    std::raise(SIGSEGV);
  }
  if (cmd.flags.max_virtual_ms != 0) {
    const uint64_t ms = std::min<uint64_t>(cmd.flags.max_virtual_ms, INT64_MAX / 1'000'000);
    options.virtual_time_budget = loopsim::Milliseconds(static_cast<int64_t>(ms));
  }
  if (cmd.flags.max_iterations != 0) options.iteration_budget = cmd.flags.max_iterations;
  options.backend = cmd.flags.backend;
  if (!loopsim::FaultProfile::Named(cmd.flags.faults, &options.kernel.faults)) {
    std::ifstream in(cmd.flags.faults);
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    if (!in) {
      std::fprintf(stderr, "loopsim: --faults %s is neither none, light, heavy nor a readable profile file\n",
                   cmd.flags.faults.c_str());
      _exit(2);
    }
    if (!loopsim::FaultProfile::Parse(text.str(), &options.kernel.faults, &error)) {
      std::fprintf(stderr, "loopsim: %s is not a fault profile: %s\n", cmd.flags.faults.c_str(), error.c_str());
      _exit(2);
    }
  }
  options.trace_path = cmd.trace_path;
  options.record_path = cmd.record_path;
  const uint64_t seed = options.kernel.seed;
  // Test mutations break a rule on purpose: the loop's own (runtime::TestMutations) or, under --check,
  // the check preload's (sim/check.h).
  std::vector<std::string> preload_mutations;
  for (const std::string& name : cmd.test_mutations) {
    if (loopsim::sim::IsCheckPreloadMutation(name)) {
      preload_mutations.push_back(name);
    } else if (!loopsim::runtime::SetTestMutation(options.mutations, name)) {
      std::fprintf(stderr, "loopsim: unknown test mutation '%s'\n", name.c_str());
      _exit(2);
    }
  }
  // With --trace-format chrome the run writes JSON Lines to a scratch file (which --check reads too);
  // at the end it becomes the Trace Event Format file that was asked for.
  std::string chrome_jsonl;
  if (cmd.trace_format == "chrome" && !cmd.trace_path.empty()) {
    char scratch[] = "/tmp/loopsim-trace-XXXXXX";
    const int fd = mkstemp(scratch);
    if (fd < 0) {
      std::fprintf(stderr, "loopsim: cannot create a scratch trace file in /tmp\n");
      _exit(2);
    }
    close(fd);
    chrome_jsonl = scratch;
    options.trace_path = chrome_jsonl;
  }
  std::string preload = cmd.preload;
  if (cmd.flags.check) {
    preload = loopsim::sim::SetUpCheck(seed, cmd.preload, preload_mutations, &options);
  } else if (!preload_mutations.empty()) {
    std::fprintf(stderr, "loopsim: test mutation '%s' needs --check\n", preload_mutations[0].c_str());
    _exit(2);
  }
  if (!chrome_jsonl.empty()) {
    auto then = std::move(options.on_finish);
    options.on_finish = [jsonl = chrome_jsonl, chrome = cmd.trace_path, then](const std::string& stop, int code) {
      std::string error;
      if (!loopsim::sim::ConvertTraceToChrome(jsonl, chrome, &error)) {
        std::fprintf(stderr, "loopsim: %s\n", error.c_str());
      }
      if (then) then(stop, code);
      unlink(jsonl.c_str());
    };
  }

  program.script = cmd.script;
  program.args = cmd.args;
  program.host_cwd = HostCwd();
  program.builtins_dir = BuiltinsDir();
  if (!preload.empty()) {
    char* resolved = realpath(preload.c_str(), nullptr);
    if (resolved == nullptr) {
      std::fprintf(stderr, "loopsim: cannot read the preload %s\n", preload.c_str());
      _exit(2);
    }
    program.preload = resolved;
    std::free(resolved);
  }
}

[[noreturn]] void Run(const loopsim::sim::RunCommand& cmd) {
  // ICU and V8 format local times in UTC in every run, whatever the host's time zone.
  setenv("TZ", "UTC", 1);
  loopsim::runtime::RuntimeOptions options;
  loopsim::node_host::ProgramOptions program;
  PrepareRun(cmd, &options, &program);
  loopsim::runtime::Runtime::StartBooting(std::move(options));
  loopsim::node_host::MountProgram(program);
  loopsim::node_host::RunProgram(program);
}

// Hidden: `loopsim zygote [--test-age-ms N] [--cold] run [run options] SCRIPT [ARGS...]`, started by the
// explorer's zygote runner with a control socket as stdin. Boots the program once and forks a child per
// request, each configured from its own `run` command line exactly as `run` would (runtime/node/zygote.h).
// --cold boots without the warm-up, for the benchmark's comparison.
[[noreturn]] void Zygote(const std::vector<std::string>& args) {
  loopsim::node_host::ZygoteOptions zygote;
  bool cold = false;
  size_t i = 2;
  for (; i < args.size() && args[i] != "run"; ++i) {
    if (args[i] == "--test-age-ms" && i + 1 < args.size()) {
      zygote.test_age_ms = std::atoll(args[++i].c_str());
    } else if (args[i] == "--cold") {
      cold = true;
    } else {
      std::fprintf(stderr, "loopsim zygote: unknown option '%s'\n", args[i].c_str());
      _exit(2);
    }
  }
  std::vector<std::string> run_args = {args[0]};
  run_args.insert(run_args.end(), args.begin() + static_cast<ptrdiff_t>(i), args.end());
  const loopsim::sim::ParseResult parsed = loopsim::sim::ParseCommandLine(run_args);
  if (!parsed.run || parsed.command != "run") {
    std::fprintf(stderr, "loopsim zygote: %s\n", parsed.error.empty() ? "needs a run command line" : parsed.error.c_str());
    _exit(2);
  }
  setenv("TZ", "UTC", 1);
  loopsim::runtime::RuntimeOptions options;
  loopsim::node_host::ProgramOptions program;
  PrepareRun(*parsed.run, &options, &program);
  // The zygote's own command line has no seed to run: a trace file `run --check` made for it would only
  // be left behind (each child makes its own).
  if (!options.trace_path.empty()) {
    ::unlink(options.trace_path.c_str());
    options.trace_path.clear();
  }
  program.warm_up = !cold;
  loopsim::runtime::Runtime::StartBooting(std::move(options));
  loopsim::node_host::MountProgram(program);
  const std::string binary = args[0];
  loopsim::node_host::ServeZygote(
      program, zygote,
      [&binary](const std::vector<std::string>& request, loopsim::node_host::ProgramOptions* child_program,
                loopsim::runtime::RuntimeOptions* child_options, std::string* error) {
        std::vector<std::string> argv = {binary};
        argv.insert(argv.end(), request.begin(), request.end());
        const loopsim::sim::ParseResult child = loopsim::sim::ParseCommandLine(argv);
        if (!child.run || child.command != "run") {
          *error = child.error.empty() ? "a zygote request must be a run command line" : child.error;
          return false;
        }
        PrepareRun(*child.run, child_options, child_program);
        return true;
      });
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() > 1 && args[1] == "zygote") Zygote(args);
  loopsim::sim::ParseResult parsed = loopsim::sim::ParseCommandLine(args);
  if (parsed.help) {
    std::fputs(loopsim::sim::kUsage, stdout);
    return 0;
  }
  if (parsed.version) {
    std::puts("loopsim 0.1.0 (Node 18.20.4 via libnode)");
    return 0;
  }
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "loopsim: %s\n\n%s", parsed.error.c_str(), loopsim::sim::kUsage);
    return 2;
  }
  if (parsed.run) Run(*parsed.run);
  if (parsed.explore) return loopsim::sim::RunExplore(*parsed.explore, args[0]);
  if (parsed.shrink) return loopsim::sim::RunShrink(*parsed.shrink, args[0]);
  if (parsed.merge) return loopsim::sim::RunMerge(*parsed.merge);
  std::fprintf(stderr, "loopsim: nothing to do\n\n%s", loopsim::sim::kUsage);
  return 2;
}
