// The process-per-seed SeedRunner: each seed is a fresh `loopsim run` child, so a seed that crashes,
// spins or corrupts its heap cannot touch the explorer or the next seed. It pays Node's boot per seed; the
// zygote runner is the fast sibling behind the same interface (seed_runner.h).
//
// The child's stdout and stderr go to files, not pipes, so a chatty program can never block on a full
// pipe while the explorer waits for it. The watchdog is the one place that reads the host clock: it
// bounds how long the explorer waits for a child, which no virtual budget can do for a program spinning
// in JavaScript (`while (true) {}` never returns to the loop).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/host_clock.h"
#include "sim/interrupt.h"
#include "sim/spawn.h"
#include "sim/seed_runner.h"

extern char** environ;

namespace loopsim::sim {

namespace {

bool ReadWhole(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

class SubprocessRunner final : public SeedRunner {
 public:
  SubprocessRunner(const SeedRunnerOptions& options, int index) : options_(options) {
    InstallStopHandlers();
    const std::string base = options_.scratch_dir + "/w" + std::to_string(index);
    out_path_ = base + ".out";
    err_path_ = base + ".err";
    record_path_ = base + ".record.json";
    trace_path_ = base + ".trace.jsonl";
    schedule_path_ = base + ".schedule.json";
  }

  ~SubprocessRunner() override {
    for (const std::string* p : {&out_path_, &err_path_, &record_path_, &trace_path_, &schedule_path_}) {
      ::unlink(p->c_str());
    }
  }

  SeedResult Run(const SeedRequest& request) override {
    SeedResult result;
    ::unlink(record_path_.c_str());
    ::unlink(trace_path_.c_str());
    std::vector<std::string> argv = {options_.loopsim_binary};
    if (!RunArgs(options_, request, {schedule_path_, record_path_, trace_path_}, &argv, &result.infra_error)) {
      return result;
    }

    const int64_t start_ns = HostMonotonicNs();
    pid_t pid = 0;
    if (!Spawn(argv, &pid, &result.infra_error)) return result;
    TrackGroup(pid);
    int status = 0;
    result.timed_out = !WaitWithin(pid, options_.timeout_ms, &status);
    ForgetGroup(pid);
    result.wall_ns = HostMonotonicNs() - start_ns;
    if (!result.timed_out) {
      if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
    }
    ReadWhole(out_path_, &result.out);
    ReadWhole(err_path_, &result.err);
    std::string record_text, error;
    if (!result.timed_out && ReadWhole(record_path_, &record_text)) {
      result.has_record = RunRecordFromJson(record_text, &result.record, &error);
    }
    if (request.keep_trace) ReadWhole(trace_path_, &result.trace);
    return result;
  }

 private:
  bool Spawn(const std::vector<std::string>& argv, pid_t* pid, std::string* error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // In a process group of its own, so the watchdog can kill whatever the seed started along with it.
    const int rc = SpawnInOwnGroup(argv, &actions, pid);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      *error = "cannot start " + argv[0] + ": " + std::strerror(rc);
      return false;
    }
    return true;
  }

  // Waits for the child; kills its process group when the budget runs out. Returns false on timeout (the
  // child is reaped either way).
  bool WaitWithin(pid_t pid, uint64_t timeout_ms, int* status) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    const int64_t deadline_ns = HostMonotonicNs() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    for (;;) {
      const pid_t r = ::waitpid(pid, status, WNOHANG);
      if (r == pid) {
        if (pidfd >= 0) ::close(pidfd);
        return true;
      }
      if (r < 0 && errno != EINTR) {
        if (pidfd >= 0) ::close(pidfd);
        return true;
      }
      const int64_t now_ns = HostMonotonicNs();
      if (now_ns >= deadline_ns) break;
      const int64_t left_ms = (deadline_ns - now_ns) / 1'000'000 + 1;
      if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms, 1000)));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(left_ms, 2)));
      }
    }
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, status, 0) < 0 && errno == EINTR) {
    }
    if (pidfd >= 0) ::close(pidfd);
    return false;
  }

  SeedRunnerOptions options_;
  std::string out_path_, err_path_, record_path_, trace_path_, schedule_path_;
};

}  // namespace

bool RunArgs(const SeedRunnerOptions& options, const SeedRequest& request, const RunFiles& files,
             std::vector<std::string>* argv, std::string* error) {
  argv->push_back("run");
  if (request.schedule) {
    std::ofstream s(files.schedule, std::ios::trunc);
    s << ScheduleToJson(*request.schedule);
    if (!s) {
      *error = "cannot write " + files.schedule;
      return false;
    }
    // The explorer's schedules are edited (shrink) or partial (exhaustive): replayed as they are.
    argv->insert(argv->end(), {"--schedule", files.schedule, "--force-schedule"});
  } else {
    argv->insert(argv->end(), {"--seed", std::to_string(request.seed)});
  }
  for (const std::string& a : options.flags.ToArgs()) argv->push_back(a);
  for (const std::string& a : options.extra_run_args) argv->push_back(a);
  argv->insert(argv->end(), {"--record", files.record});
  if (request.keep_trace) argv->insert(argv->end(), {"--trace", files.trace});
  argv->push_back("--");
  argv->push_back(options.script);
  for (const std::string& a : options.args) argv->push_back(a);
  return true;
}

std::unique_ptr<SeedRunner> MakeSubprocessRunner(const SeedRunnerOptions& options, int index) {
  return std::make_unique<SubprocessRunner>(options, index);
}

}  // namespace loopsim::sim
