// loopsim: runs a real Node.js program, under the user's own node binary, on the simulated event loop
// (run, replay), and explores, shrinks and reports its interleavings (explore, shrink, merge). See
// README.md.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli.h"
#include "sim/explore.h"
#include "sim/node_binary.h"
#include "sim/run_launch.h"
#include "sim/shrink.h"
#include "sim/test_command.h"
#include "sim/stdin.h"

namespace {

constexpr char kVersion[] = "0.2.0";

std::vector<char*> CStrings(const std::vector<std::string>& words) {
  std::vector<char*> out;
  for (const std::string& w : words) out.push_back(const_cast<char*>(w.c_str()));
  out.push_back(nullptr);
  return out;
}

// `run` and `replay`: node runs the seed as a child with this process's stdio, so its stdout, stderr and
// exit code are the program's own; what --check and --trace-format ask for happens when it has ended.
// A program that dies by a signal takes loopsim with it, by the same signal.
// Without --stdin, a pipe or file on loopsim's own stdin is read to its end first and handed to the
// program from a temporary file (sim/stdin.h): its path, or "" when there is nothing to capture.
absl::StatusOr<std::string> CaptureStdin(loopsim::sim::RunCommand& cmd) {
  if (!cmd.flags.stdin_path.empty()) return std::string();
  absl::StatusOr<std::optional<std::string>> bytes = loopsim::sim::ReadOwnStdin();
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::string();
  absl::StatusOr<std::string> path = loopsim::sim::SaveStdinTemporarily(**bytes);
  if (!path.ok()) return path.status();
  cmd.flags.stdin_path = *path;
  cmd.stdin_name.assign(1, '-');  // the record calls loopsim's own stdin "-"
  return path;
}

// The temporary stdin file is removed with the run's other scratch files when the run has ended.
[[noreturn]] void Run(loopsim::sim::RunCommand cmd) {
  absl::StatusOr<std::string> captured_stdin = CaptureStdin(cmd);
  if (!captured_stdin.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(captured_stdin.status().message()).c_str());
    _exit(2);
  }
  absl::StatusOr<loopsim::sim::PreparedRun> run = loopsim::sim::PrepareRun(cmd);
  if (!run.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(run.status().message()).c_str());
    if (!captured_stdin->empty()) ::unlink(captured_stdin->c_str());
    _exit(2);
  }
  if (!captured_stdin->empty()) run->scratch.push_back(*captured_stdin);
  std::fputs(run->warnings.c_str(), stderr);
  std::vector<char*> argv = CStrings(run->node_argv);
  std::vector<char*> env = CStrings(run->node_env);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), env.data());
  if (rc != 0) {
    std::fprintf(stderr, "loopsim: cannot start %s: %s\n", argv[0], std::strerror(rc));
    _exit(2);
  }
  // The terminal's Ctrl-C reaches node too (the same process group); loopsim waits for it to end.
  ::signal(SIGINT, SIG_IGN);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  loopsim::sim::RunEnd end;
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) end.term_signal = WTERMSIG(status);
  loopsim::sim::FinishRun(*run, &end);
  std::fputs(end.messages.c_str(), stderr);
  std::fflush(nullptr);
  if (end.term_signal != 0) {
    ::signal(end.term_signal, SIG_DFL);
    ::raise(end.term_signal);
  }
  _exit(end.exit_code);
}

int Version() {
  std::printf("loopsim %s\n", kVersion);
  absl::StatusOr<std::string> node = loopsim::sim::ResolveNode("");
  if (!node.ok()) {
    std::printf("node: none (%s)\n", std::string(node.status().message()).c_str());
    return 0;
  }
  absl::StatusOr<std::string> version = loopsim::sim::NodeVersion(*node);
  std::printf("node: %s %s\n", node->c_str(), version.ok() ? version->c_str() : "(does not run)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  loopsim::sim::ParseResult parsed = loopsim::sim::ParseCommandLine(args);
  if (parsed.help) {
    std::fputs(parsed.help_text.c_str(), stdout);
    return 0;
  }
  if (parsed.version) return Version();
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "loopsim: %s\n%s", parsed.error.c_str(), parsed.usage.c_str());
    return 2;
  }
  if (parsed.run) Run(*parsed.run);
  if (parsed.explore && parsed.command == "test") return loopsim::sim::RunTest(*parsed.explore, args[0]);
  if (parsed.explore) return loopsim::sim::RunExplore(*parsed.explore, args[0]);
  if (parsed.shrink) return loopsim::sim::RunShrink(*parsed.shrink, args[0]);
  if (parsed.merge) return loopsim::sim::RunMerge(*parsed.merge);
  std::fprintf(stderr, "loopsim: nothing to do\n");
  return 2;
}
