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
#include "runtime/node/recycle.h"
#include "runtime/node/zygote_protocol.h"

namespace loopsim::node_host {

// Host-time marks a child leaves for the zygote, in a page both share (MAP_SHARED survives fork).
struct ZygoteMarks {
  int64_t fork_start_ns;
  int64_t begun_ns;
  int64_t main_returned_ns;
  int64_t finished_ns;
  int64_t minflt_begun;
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

// The child's usage when its seed began: a recycled child is not reaped per seed, so it reports the
// seed's CPU and faults itself.
rusage g_seed_begun{};

// The restore's last word on a reply (recycle.h's FinishReply): runs where the C library may not be used.
void FinishRecycledReply(void* reply, RestoreOutcome outcome) {
  auto* r = static_cast<ZygoteReply*>(reply);
  r->recycled = outcome.recycled;
  r->fork_ns = outcome.ns;
  r->restored_pages = outcome.pages;
}

class Zygote {
 public:
  explicit Zygote(const Launch& launch) : launch_(launch), start_ns_(HostMonotonicNs()) {
    void* page = ::mmap(nullptr, sizeof(ZygoteMarks), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    LS_CHECK_MSG(page != MAP_FAILED, "the zygote cannot map its shared page");
    marks_ = static_cast<ZygoteMarks*>(page);
  }

  // Serves requests in the zygote; returns only in a child, with its first seed.
  SeedLaunch Serve() {
    if (launch_.test_zygote_age_ms > 0) {
      const timespec age{static_cast<time_t>(launch_.test_zygote_age_ms / 1000),
                         static_cast<long>(launch_.test_zygote_age_ms % 1000) * 1'000'000};
      ::nanosleep(&age, nullptr);
    }
    threads_at_boot_ = ThreadCount();
    // A recycled child's twin outlives it by a moment; reparented here, not to init, it is reaped here.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ZygoteReady ready;
    ready.pid = ::getpid();
    ready.boot_ns = HostMonotonicNs() - start_ns_;
    if (!SendZygoteReady(launch_.zygote_fd, ready)) _exit(0);
    for (;;) {
      ZygoteRequest request;
      if (!ReceiveZygoteRequest(launch_.zygote_fd, &request)) _exit(0);
      ZygoteReply reply;
      if (RunSeed(request, &reply)) return Child(request);
      if (!SendZygoteReply(launch_.zygote_fd, reply)) _exit(0);
    }
  }

  ZygoteMarks* marks() const { return marks_; }

 private:
  // Runs the request's seed in the child, forking one when there is none, and waits for its end.
  // Returns true in a newly forked child, which runs the request itself. A child that recycled itself
  // but ends before it begins the next seed (it could not go on) costs that seed nothing: a fresh child
  // runs it.
  bool RunSeed(const ZygoteRequest& request, ZygoteReply* reply) {
    for (int attempt = 0;; ++attempt) {
      std::memset(marks_, 0, sizeof(ZygoteMarks));
      const int64_t t0 = HostMonotonicNs();
      marks_->fork_start_ns = t0;
      marks_->measure_memory = request.measure_memory;
      *reply = ZygoteReply{};
      const bool reused = child_pid_ != 0;
      if (reused && !SendZygoteRequest(child_fd_, request)) {
        ReapChild(nullptr);
        continue;
      }
      if (!reused) {
        if (ForkChild(reply)) return true;
        if (reply->failed) return false;
      }
      reply->pid = child_pid_;
      WaitForSeed(request.timeout_ms, reply);
      if (reused && attempt == 0 && child_pid_ == 0 && marks_->begun_ns == 0 && !reply->timed_out) continue;
      reply->wall_ns = HostMonotonicNs() - t0;
      const auto since_start = [t0](int64_t mark) { return mark == 0 ? 0 : mark - t0; };
      reply->begun_ns = since_start(marks_->begun_ns);
      reply->main_returned_ns = since_start(marks_->main_returned_ns);
      reply->finished_ns = since_start(marks_->finished_ns);
      reply->minflt_main_returned = marks_->minflt_main_returned;
      reply->private_dirty_kb = marks_->private_dirty_kb;
      return false;
    }
  }

  // Forks the child that will run seeds, with a socket of its own for their replies. Returns true in
  // the child.
  bool ForkChild(ZygoteReply* reply) {
    LS_CHECK_MSG(ThreadCount() == threads_at_boot_, "a thread started in the zygote after it booted");
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
      SetError(reply, std::string("cannot make a child's socket: ") + std::strerror(errno));
      return false;
    }
    std::fflush(nullptr);
    const int64_t t0 = HostMonotonicNs();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      child_fd_ = fds[1];
      return true;
    }
    reply->fork_ns = HostMonotonicNs() - t0;
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      SetError(reply, std::string("fork failed: ") + std::strerror(errno));
      return false;
    }
    child_pid_ = pid;
    child_fd_ = fds[0];
    reported_ = {};
    return false;
  }

  // Waits for the child's reply under the seed's budget: a recycled child answers and stays; one that
  // exits (a fork per seed, or a seed it cannot put back), crashes or runs out of time is reaped. A
  // client that goes away meanwhile (its socket hangs up) takes the child and the zygote with it.
  void WaitForSeed(uint64_t timeout_ms, ZygoteReply* reply) {
    const int64_t deadline = HostMonotonicNs() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    for (;;) {
      const int64_t left_ns = deadline - HostMonotonicNs();
      if (left_ns <= 0) {
        ::kill(child_pid_, SIGKILL);
        reply->timed_out = true;
        ReapChild(reply);
        return;
      }
      const int wait_ms = static_cast<int>(std::min<int64_t>(left_ns / 1'000'000 + 1, 1000));
      pollfd p[2] = {{child_fd_, POLLIN, 0}, {launch_.zygote_fd, POLLRDHUP, 0}};
      ::poll(p, 2, wait_ms);
      if ((p[1].revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0) {
        ::kill(child_pid_, SIGKILL);
        _exit(0);
      }
      if (p[0].revents == 0) continue;
      ZygoteReply got;
      if (!ReceiveZygoteReply(child_fd_, &got)) {  // the child ended (its socket closed)
        ReapChild(reply);
        return;
      }
      // The child's own account of the seed (exit code, cost, restore); the marks are added after.
      got.pid = reply->pid;
      *reply = got;
      reported_.Add(got);
      if (!got.recycled) ReapChild(nullptr);
      return;
    }
  }

  // Reaps the child. With a reply: how it ended, and its cost since its last reply.
  void ReapChild(ZygoteReply* reply) {
    int status = 0;
    rusage ru{};
    while (::wait4(child_pid_, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    // The twins of earlier children (recycle.h), orphaned when their child died, are the zygote's to
    // reap (it is their subreaper): those already gone are reaped here.
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    ::close(child_fd_);
    child_pid_ = 0;
    child_fd_ = -1;
    if (reply == nullptr) return;
    reply->wait_status = status;
    reply->minflt = ru.ru_minflt - reported_.minflt;
    reply->majflt = ru.ru_majflt - reported_.majflt;
    reply->utime_ns = TimevalNs(ru.ru_utime) - reported_.utime_ns;
    reply->stime_ns = TimevalNs(ru.ru_stime) - reported_.stime_ns;
  }

  // In the child: its first seed, or, once it recycles itself, every seed after a restore.
  SeedLaunch Child(const ZygoteRequest& first) {
    // A child must not outlive its zygote (the zygote's watchdog is what bounds it).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::close(launch_.zygote_fd);
    if (launch_.zygote_recycles && PrepareRecycling(child_fd_, launch_.test_recycle_leaves_pages)) {
      if (__builtin_setjmp(RecycleMark()) == 0) {
        TakeSnapshot();  // when it cannot, this child runs one seed and exits
      } else {
        ZygoteRequest next;
        if (!ReceiveZygoteRequest(child_fd_, &next)) _exit(0);
        return BeginSeed(next);
      }
    }
    return BeginSeed(first);
  }

  // Takes the request's stdio and seed.
  SeedLaunch BeginSeed(const ZygoteRequest& request) {
    ::getrusage(RUSAGE_SELF, &g_seed_begun);
    marks_->minflt_begun = g_seed_begun.ru_minflt;
    Redirect(0, "", O_RDONLY);
    Redirect(1, request.stdout_path, O_WRONLY | O_CREAT | O_TRUNC);
    Redirect(2, request.stderr_path, O_WRONLY | O_CREAT | O_TRUNC);
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
  // The child that runs seeds (0: none), its socket, and the cost it has reported in its replies.
  pid_t child_pid_ = 0;
  int child_fd_ = -1;
  struct Reported {
    int64_t minflt, majflt, utime_ns, stime_ns;
    void Add(const ZygoteReply& r) {
      minflt += r.minflt;
      majflt += r.majflt;
      utime_ns += r.utime_ns;
      stime_ns += r.stime_ns;
    }
  } reported_{};
};

}  // namespace

SeedLaunch ServeZygote(const Launch& launch, ZygoteMarks** marks) {
  static Zygote* zygote = new Zygote(launch);
  *marks = zygote->marks();
  return zygote->Serve();
}

void MarkMainReturned(ZygoteMarks* marks) {
  marks->main_returned_ns = HostMonotonicNs();
  marks->minflt_main_returned = MinorFaults() - marks->minflt_begun;
}

void MarkFinished(ZygoteMarks* marks) {
  if (marks->measure_memory) marks->private_dirty_kb = PrivateDirtyKb();
  marks->finished_ns = HostMonotonicNs();
}

void EndSeedInChild(int code) {
  if (!Recycling()) return;
  rusage now{};
  ::getrusage(RUSAGE_SELF, &now);
  const rusage& begun = g_seed_begun;
  ZygoteReply reply;
  reply.wait_status = (code & 0xff) << 8;  // as waitpid reports exit(code)
  reply.minflt = now.ru_minflt - begun.ru_minflt;
  reply.majflt = now.ru_majflt - begun.ru_majflt;
  reply.utime_ns = TimevalNs(now.ru_utime) - TimevalNs(begun.ru_utime);
  reply.stime_ns = TimevalNs(now.ru_stime) - TimevalNs(begun.ru_stime);
  RecycleAfterSeed(&reply, sizeof(reply), &FinishRecycledReply);
}

}  // namespace loopsim::node_host
