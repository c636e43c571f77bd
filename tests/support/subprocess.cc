// Child processes for the black-box tests; see subprocess.h. Uses fork/exec so the child can get its own
// process group (a timed-out loopsim is killed with everything it forked) and a working directory.
#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace loopsim::testing {
namespace {

// Sets FD_CLOEXEC so that pipes of one test do not leak into unrelated children.
void SetCloexec(int fd) { fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC); }

void SetNonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// In the child after fork: only async-signal-safe calls. Reports an errno through `report_fd` and dies.
[[noreturn]] void ExecChild(const RunOptions& options, char* const* argv, int out_fd, int err_fd,
                            int report_fd) {
  setpgid(0, 0);
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  int failed_errno = 0;
  if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
    failed_errno = errno;
  } else {
    execvp(argv[0], argv);
    failed_errno = errno;
  }
  ssize_t ignored = write(report_fd, &failed_errno, sizeof failed_errno);
  (void)ignored;
  _exit(127);
}

}  // namespace

RunResult RunProcess(const RunOptions& options) {
  RunResult result;
  if (options.argv.empty()) {
    result.spawn_error = "empty argv";
    return result;
  }
  std::vector<char*> argv;
  for (const std::string& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  int out_pipe[2], err_pipe[2], report_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(report_pipe) != 0) {
    result.spawn_error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], report_pipe[0], report_pipe[1]}) {
    SetCloexec(fd);
  }
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    result.spawn_error = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) ExecChild(options, argv.data(), out_pipe[1], err_pipe[1], report_pipe[1]);
  // Also from the parent, so that a kill right after fork already reaches the group.
  setpgid(pid, pid);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(report_pipe[1]);

  int child_errno = 0;
  if (read(report_pipe[0], &child_errno, sizeof child_errno) == sizeof child_errno) {
    result.spawn_error = "cannot run " + options.argv[0] + ": " + std::strerror(child_errno);
  }
  close(report_pipe[0]);

  SetNonblocking(out_pipe[0]);
  SetNonblocking(err_pipe[0]);
  struct Stream {
    int fd;
    std::string* sink;
  };
  std::vector<Stream> open_streams = {{out_pipe[0], &result.out}, {err_pipe[0], &result.err}};
  const auto deadline = start + options.wall_limit;
  char buffer[65536];
  while (!open_streams.empty()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    std::vector<pollfd> fds;
    for (const Stream& s : open_streams) fds.push_back({s.fd, POLLIN, 0});
    int ready = poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count() + 1, 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t n;
      while ((n = read(fds[i].fd, buffer, sizeof buffer)) > 0) open_streams[i].sink->append(buffer, n);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        close(fds[i].fd);
        open_streams[i].fd = -1;
      }
    }
    open_streams.erase(std::remove_if(open_streams.begin(), open_streams.end(),
                                      [](const Stream& s) { return s.fd < 0; }),
                       open_streams.end());
  }
  for (const Stream& s : open_streams) close(s.fd);

  // Wait for the exit without reaping (WNOWAIT): while the leader is an unreaped zombie its process group
  // id cannot be reused, so killing what it left running in its group hits only its own descendants.
  while (true) {
    siginfo_t info{};
    if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) break;
    if (!result.timed_out && std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    usleep(2000);
  }
  kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status) && !result.timed_out) result.term_signal = WTERMSIG(status);
  return result;
}

std::string RunResult::Describe(const RunOptions& options) const {
  std::ostringstream s;
  if (!spawn_error.empty()) {
    s << spawn_error;
  } else if (timed_out) {
    s << "timed out after " << options.wall_limit.count() << " ms (killed)";
  } else if (term_signal != 0) {
    s << "killed by signal " << term_signal << " (" << strsignal(term_signal) << ")";
  } else {
    s << "exit " << exit_code;
  }
  s << ": " << ShellQuote(options.argv);
  return s.str();
}

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::string LoopsimBinary(const char* compiled_default) {
  // The one place the tests read the environment: the binary under test may be swapped at run time.
  const char* from_env = std::getenv("LOOPSIM_BIN");
  if (from_env != nullptr && *from_env != '\0') return from_env;
  return compiled_default;
}

namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      lines.push_back(text.substr(begin) + "  (no newline at end)");
      break;
    }
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

}  // namespace

std::string LineDiff(const std::string& expected, const std::string& actual, int max_lines) {
  const std::vector<std::string> a = SplitLines(expected);
  const std::vector<std::string> b = SplitLines(actual);
  // Longest common subsequence by dynamic programming; outputs here are small. Above the cap, compare
  // line by line, which still shows the first difference.
  constexpr size_t kLcsCap = 4000;
  std::vector<std::pair<char, std::string>> edits;
  if (a.size() <= kLcsCap && b.size() <= kLcsCap) {
    std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (size_t i = a.size(); i-- > 0;) {
      for (size_t j = b.size(); j-- > 0;) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a[i] == b[j]) {
        edits.push_back({' ', a[i++]});
        ++j;
      } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        edits.push_back({'-', a[i++]});
      } else {
        edits.push_back({'+', b[j++]});
      }
    }
  } else {
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      if (i < a.size() && i < b.size() && a[i] == b[i]) {
        edits.push_back({' ', a[i]});
        continue;
      }
      if (i < a.size()) edits.push_back({'-', a[i]});
      if (i < b.size()) edits.push_back({'+', b[i]});
    }
  }
  // Keep two lines of context around changes, and at most max_lines lines overall.
  constexpr size_t kContext = 2;
  std::vector<bool> keep(edits.size(), false);
  for (size_t k = 0; k < edits.size(); ++k) {
    if (edits[k].first == ' ') continue;
    const size_t lo = k >= kContext ? k - kContext : 0;
    const size_t hi = std::min(edits.size(), k + kContext + 1);
    for (size_t m = lo; m < hi; ++m) keep[m] = true;
  }
  std::string diff = "--- expected\n+++ actual\n";
  int printed = 0;
  bool gap = false;
  for (size_t k = 0; k < edits.size(); ++k) {
    if (!keep[k]) {
      gap = true;
      continue;
    }
    if (printed >= max_lines) {
      diff += "... (diff truncated)\n";
      break;
    }
    if (gap) diff += "@@\n";
    gap = false;
    diff += edits[k].first;
    diff += edits[k].second;
    diff += '\n';
    ++printed;
  }
  return diff;
}

}  // namespace loopsim::testing
