// See node_binary.h. The environment read here is the user's shell's, deliberately: it chooses the
// binary, never anything a simulated program sees.
#include "sim/node_binary.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>

#include "absl/status/status.h"

extern char** environ;

namespace loopsim::sim {

namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof(cwd)) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

}  // namespace

absl::StatusOr<std::string> ResolveNode(const std::string& flag) {
  if (!flag.empty()) {
    if (!IsExecutableFile(flag)) return absl::NotFoundError("--node " + flag + " is not an executable file");
    return Absolute(flag);
  }
  if (const char* env = std::getenv("LOOPSIM_NODE"); env != nullptr && *env != '\0') {  // lint: allow-host-env (chooses the binary)
    if (!IsExecutableFile(env)) return absl::NotFoundError(std::string("LOOPSIM_NODE=") + env + " is not an executable file");
    return Absolute(env);
  }
  const char* path = std::getenv("PATH");  // lint: allow-host-env (finds node as the shell would)
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/node";
    if (IsExecutableFile(candidate)) return Absolute(candidate);
  }
  return absl::NotFoundError("no node found: give one with --node PATH or LOOPSIM_NODE, or put node on PATH");
}

absl::StatusOr<std::string> NodeVersion(const std::string& node) {
  static std::mutex mutex;
  static std::map<std::string, std::string> known;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = known.find(node); it != known.end()) return it->second;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("cannot make a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const char* argv[] = {node.c_str(), "--version", nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, node.c_str(), &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  char buf[256];
  for (ssize_t n; rc == 0 && (n = ::read(fds[0], buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  if (rc == 0) ::waitpid(pid, &status, 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty() || out[0] != 'v') {
    return absl::FailedPreconditionError(node + " does not run as node (`" + node + " --version` failed)");
  }
  known[node] = out;
  return out;
}

std::string HostLibraryPath() {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    self[n] = '\0';
    std::string dir(self);
    dir = dir.substr(0, dir.rfind('/'));
    for (const std::string& candidate : {dir + "/libloopsim-node.so", dir + "/../lib/libloopsim-node.so"}) {
      if (::access(candidate.c_str(), R_OK) == 0) return candidate;
    }
  }
  return LOOPSIM_HOST_LIBRARY;
}

}  // namespace loopsim::sim
