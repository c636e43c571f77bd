// loopsim: runs a real Node.js program on the simulated event loop. See README.md.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/node/host.h"
#include "fakeos/schedule.h"
#include "runtime/runtime.h"
#include "sim/cli.h"

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

[[noreturn]] void Run(const loopsim::sim::RunCommand& cmd) {
  // ICU and V8 format local times in UTC in every run, whatever the host's time zone.
  setenv("TZ", "UTC", 1);
  loopsim::runtime::RuntimeOptions options;
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
  }
  options.trace_path = cmd.trace_path;
  for (const std::string& name : cmd.test_mutations) {
    if (!loopsim::runtime::SetTestMutation(options.mutations, name)) {
      std::fprintf(stderr, "loopsim: unknown test mutation '%s'\n", name.c_str());
      _exit(2);
    }
  }
  options.record_path = cmd.record_path;
  const uint64_t seed = options.kernel.seed;
  loopsim::runtime::Runtime::Start(std::move(options));

  loopsim::node_host::ProgramOptions program;
  program.script = cmd.script;
  program.args = cmd.args;
  program.host_cwd = HostCwd();
  program.builtins_dir = BuiltinsDir();
  if (!cmd.preload.empty()) {
    char* resolved = realpath(cmd.preload.c_str(), nullptr);
    if (resolved == nullptr) {
      std::fprintf(stderr, "loopsim: cannot read the preload %s\n", cmd.preload.c_str());
      _exit(2);
    }
    program.preload = resolved;
    std::free(resolved);
  }
  program.seed = seed;
  loopsim::node_host::MountProgram(program);
  loopsim::node_host::RunProgram(program);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  loopsim::sim::ParseResult parsed = loopsim::sim::ParseCommandLine(args);
  if (parsed.help) {
    std::fputs(loopsim::sim::kUsage, stdout);
    return 0;
  }
  if (parsed.version) {
    std::puts("loopsim 0.1.0 (Node 18.20.4 via libnode)");
    return 0;
  }
  if (!parsed.run) {
    std::fprintf(stderr, "loopsim: %s\n\n%s", parsed.error.c_str(), loopsim::sim::kUsage);
    return 2;
  }
  Run(*parsed.run);
}
