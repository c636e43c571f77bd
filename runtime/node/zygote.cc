// See zygote.h. The zygote's watchdog and cost figures read the host clock (HostMonotonicNs); nothing
// read from it reaches a simulated program.
#include "runtime/node/zygote.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/node/zygote_protocol.h"

namespace loopsim::node_host {

// Host-time marks a child leaves for the zygote, in a page both share (MAP_SHARED survives fork).
struct ZygoteMarks {
  int64_t fork_start_ns;
  int64_t begun_ns;
  int64_t main_returned_ns;
  int64_t finished_ns;
  int64_t minflt_main_returned;
  bool measure_memory;  // the request asks the child for its private memory (set before the fork)
  int64_t private_dirty_kb;
};

namespace {

int64_t MinorFaults() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

// Private_Dirty of /proc/self/smaps_rollup: the pages this process wrote itself (a forked child: copied
// or new since the fork); -1 when unreadable.
int64_t PrivateDirtyKb() {
  const int fd = ::open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[4096];
  const ssize_t n = ::read(fd, text, sizeof(text) - 1);
  ::close(fd);
  if (n <= 0) return -1;
  text[n] = '\0';
  const char* field = std::strstr(text, "Private_Dirty:");
  return field == nullptr ? -1 : std::strtoll(field + std::strlen("Private_Dirty:"), nullptr, 10);
}

int ThreadCount() {
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

int64_t TimevalNs(const timeval& tv) { return static_cast<int64_t>(tv.tv_sec) * 1'000'000'000 + tv.tv_usec * 1000; }

void SetError(ZygoteReply* reply, const std::string& message) {
  reply->failed = true;
  std::snprintf(reply->error, sizeof(reply->error), "%s", message.c_str());
}

// Points fd at path (created, truncated) or at /dev/null; ends the child if it cannot.
void Redirect(int fd, const std::string& path, int flags) {
  const int opened = ::open(path.empty() ? "/dev/null" : path.c_str(), flags | O_CLOEXEC, 0644);
  if (opened < 0 || ::dup2(opened, fd) < 0) {
    const std::string message = "loopsim zygote: cannot open " + path + ": " + std::strerror(errno) + "\n";
    ssize_t ignored = ::write(2, message.data(), message.size());
    (void)ignored;
    _exit(2);
  }
  ::close(opened);
}

class Zygote {
 public:
  explicit Zygote(const Launch& launch) : launch_(launch), start_ns_(HostMonotonicNs()) {
    void* page = ::mmap(nullptr, sizeof(ZygoteMarks), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    LS_CHECK_MSG(page != MAP_FAILED, "the zygote cannot map its shared page");
    marks_ = static_cast<ZygoteMarks*>(page);
  }

  // Serves requests in the zygote; returns only in a child, with its seed.
  SeedLaunch Serve() {
    if (launch_.test_zygote_age_ms > 0) {
      const timespec age{static_cast<time_t>(launch_.test_zygote_age_ms / 1000),
                         static_cast<long>(launch_.test_zygote_age_ms % 1000) * 1'000'000};
      ::nanosleep(&age, nullptr);
    }
    threads_at_boot_ = ThreadCount();
    ZygoteReady ready;
    ready.pid = ::getpid();
    ready.boot_ns = HostMonotonicNs() - start_ns_;
    if (!SendZygoteReady(launch_.zygote_fd, ready)) _exit(0);
    for (;;) {
      ZygoteRequest request;
      if (!ReceiveZygoteRequest(launch_.zygote_fd, &request)) _exit(0);
      ZygoteReply reply;
      if (Fork(request, &reply)) return Child(request);
      if (!SendZygoteReply(launch_.zygote_fd, reply)) _exit(0);
    }
  }

  ZygoteMarks* marks() const { return marks_; }

 private:
  // Forks a child for the request and waits for it. Returns true in the child.
  bool Fork(const ZygoteRequest& request, ZygoteReply* reply) {
    LS_CHECK_MSG(ThreadCount() == threads_at_boot_, "a thread started in the zygote after it booted");
    std::fflush(nullptr);
    std::memset(marks_, 0, sizeof(ZygoteMarks));
    const int64_t t0 = HostMonotonicNs();
    marks_->fork_start_ns = t0;
    marks_->measure_memory = request.measure_memory;
    const pid_t pid = ::fork();
    if (pid == 0) return true;
    const int64_t t1 = HostMonotonicNs();
    if (pid < 0) {
      SetError(reply, std::string("fork failed: ") + std::strerror(errno));
      return false;
    }
    reply->pid = pid;
    reply->fork_ns = t1 - t0;
    int status = 0;
    rusage ru{};
    reply->timed_out = !WaitWithin(pid, request.timeout_ms, launch_.zygote_fd, &status, &ru);
    reply->wall_ns = HostMonotonicNs() - t0;
    reply->wait_status = status;
    reply->minflt = ru.ru_minflt;
    reply->majflt = ru.ru_majflt;
    reply->utime_ns = TimevalNs(ru.ru_utime);
    reply->stime_ns = TimevalNs(ru.ru_stime);
    const auto since_fork = [t0](int64_t mark) { return mark == 0 ? 0 : mark - t0; };
    reply->begun_ns = since_fork(marks_->begun_ns);
    reply->main_returned_ns = since_fork(marks_->main_returned_ns);
    reply->finished_ns = since_fork(marks_->finished_ns);
    reply->minflt_main_returned = marks_->minflt_main_returned;
    reply->private_dirty_kb = marks_->private_dirty_kb;
    return false;
  }

  // Waits for the child, killing it when its budget runs out; false on timeout. Reaps it either way. A
  // client that goes away meanwhile (its socket hangs up) takes the child and the zygote with it.
  static bool WaitWithin(pid_t pid, uint64_t timeout_ms, int control_fd, int* status, rusage* ru) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    const int64_t deadline = HostMonotonicNs() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    bool in_time = true;
    for (;;) {
      const pid_t r = ::wait4(pid, status, WNOHANG, ru);
      if (r == pid || (r < 0 && errno != EINTR)) break;
      const int64_t left_ns = deadline - HostMonotonicNs();
      if (left_ns <= 0) {
        in_time = false;
        ::kill(pid, SIGKILL);
        while (::wait4(pid, status, 0, ru) < 0 && errno == EINTR) {
        }
        break;
      }
      const int wait_ms = static_cast<int>(std::min<int64_t>(left_ns / 1'000'000 + 1, 1000));
      pollfd p[2] = {{pidfd, POLLIN, 0}, {control_fd, POLLRDHUP, 0}};
      ::poll(pidfd >= 0 ? p : p + 1, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? wait_ms : 1);
      if ((p[1].revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0) {
        ::kill(pid, SIGKILL);
        _exit(0);
      }
    }
    if (pidfd >= 0) ::close(pidfd);
    return in_time;
  }

  // In the child: take the request's stdio and seed.
  SeedLaunch Child(const ZygoteRequest& request) {
    // A child must not outlive its zygote (the zygote's watchdog is what bounds it).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    Redirect(0, "", O_RDONLY);
    Redirect(1, request.stdout_path, O_WRONLY | O_CREAT | O_TRUNC);
    Redirect(2, request.stderr_path, O_WRONLY | O_CREAT | O_TRUNC);
    ::close(launch_.zygote_fd);
    absl::StatusOr<SeedLaunch> seed = SeedLaunchFromJson(request.seed);
    if (!seed.ok()) {
      std::fprintf(stderr, "loopsim: %s\n", std::string(seed.status().message()).c_str());
      std::fflush(stderr);
      _exit(2);
    }
    marks_->begun_ns = HostMonotonicNs();
    return *seed;
  }

  const Launch& launch_;
  const int64_t start_ns_;
  int threads_at_boot_ = 0;
  ZygoteMarks* marks_ = nullptr;
};

}  // namespace

SeedLaunch ServeZygote(const Launch& launch, ZygoteMarks** marks) {
  static Zygote* zygote = new Zygote(launch);
  *marks = zygote->marks();
  return zygote->Serve();
}

void MarkMainReturned(ZygoteMarks* marks) {
  marks->main_returned_ns = HostMonotonicNs();
  marks->minflt_main_returned = MinorFaults();
}

void MarkFinished(ZygoteMarks* marks) {
  if (marks->measure_memory) marks->private_dirty_kb = PrivateDirtyKb();
  marks->finished_ns = HostMonotonicNs();
}

}  // namespace loopsim::node_host
