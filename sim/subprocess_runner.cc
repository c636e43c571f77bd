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

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "runtime/node/zygote_protocol.h"
#include "sim/host_files.h"
#include "sim/interrupt.h"
#include "sim/seed_runner.h"
#include "sim/spawn.h"

extern char** environ;

namespace loopsim::sim {

namespace {

class SubprocessRunner final : public SeedRunner {
 public:
  SubprocessRunner(const SeedRunnerOptions& options, int index)
      : options_(options), files_(options_.scratch_dir + "/w" + std::to_string(index)) {
    InstallStopHandlers();
  }

  ~SubprocessRunner() override { files_.Remove(); }

  SeedResult Run(const SeedRequest& request) override {
    SeedResult result;
    ::unlink(files_.record.c_str());
    ::unlink(files_.trace.c_str());
    absl::StatusOr<std::vector<std::string>> argv = RunArgs(options_.loopsim_binary, options_, request, files_);
    if (!argv.ok()) {
      result.infra_error = std::string(argv.status().message());
      return result;
    }

    const int64_t start_ns = node_host::HostMonotonicNs();
    absl::StatusOr<pid_t> spawned = Spawn(*argv);
    if (!spawned.ok()) {
      result.infra_error = std::string(spawned.status().message());
      return result;
    }
    const pid_t pid = *spawned;
    TrackGroup(pid);
    int status = 0;
    result.timed_out = !WaitWithin(pid, options_.timeout_ms, &status);
    ForgetGroup(pid);
    result.wall_ns = node_host::HostMonotonicNs() - start_ns;
    if (!result.timed_out) {
      if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
    }
    ReadRunFiles(files_, request.keep_trace, &result);
    return result;
  }

 private:
  absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, files_.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, files_.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // In a process group of its own, so the watchdog can kill whatever the seed started along with it.
    pid_t pid = 0;
    const int rc = SpawnInOwnGroup(argv, &actions, &pid);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return absl::InternalError("cannot start " + argv[0] + ": " + std::strerror(rc));
    return pid;
  }

  // Waits for the child; kills its process group when the budget runs out. Returns false on timeout (the
  // child is reaped either way).
  bool WaitWithin(pid_t pid, uint64_t timeout_ms, int* status) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    const int64_t deadline_ns = node_host::HostMonotonicNs() + static_cast<int64_t>(timeout_ms) * 1'000'000;
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
      const int64_t now_ns = node_host::HostMonotonicNs();
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
  RunFiles files_;
};

}  // namespace

std::string MakeScratchDir(const std::string& prefix) {
  for (const char* parent : {"/dev/shm", "/tmp"}) {
    if (::access(parent, W_OK | X_OK) != 0) continue;
    std::string dir = std::string(parent) + "/" + prefix + "XXXXXX";
    if (::mkdtemp(dir.data()) != nullptr) return dir;
  }
  return "";
}

RunFiles::RunFiles(const std::string& base)
    : out(base + ".out"),
      err(base + ".err"),
      schedule(base + ".schedule.json"),
      record(base + ".record.json"),
      trace(base + ".trace.jsonl") {}

void RunFiles::Remove() const {
  for (const std::string* p : {&out, &err, &record, &trace, &schedule}) ::unlink(p->c_str());
}

void ReadRunFiles(const RunFiles& files, bool keep_trace, SeedResult* result) {
  if (absl::StatusOr<std::string> out = ReadFile(files.out); out.ok()) result->out = *std::move(out);
  if (absl::StatusOr<std::string> err = ReadFile(files.err); err.ok()) result->err = *std::move(err);
  if (!result->timed_out) {
    if (absl::StatusOr<std::string> text = ReadFile(files.record); text.ok()) {
      absl::StatusOr<RunRecord> record = RunRecordFromJson(*text);
      result->has_record = record.ok();
      if (record.ok()) result->record = *std::move(record);
    }
  }
  if (!keep_trace) return;
  if (absl::StatusOr<std::string> trace = ReadFile(files.trace); trace.ok()) result->trace = *std::move(trace);
}

absl::StatusOr<std::vector<std::string>> RunArgs(const std::string& argv0, const SeedRunnerOptions& options,
                                                 const SeedRequest& request, const RunFiles& files) {
  std::vector<std::string> argv = {argv0, "run"};
  if (request.schedule) {
    if (absl::Status written = WriteFile(files.schedule, ScheduleToJson(*request.schedule)); !written.ok()) {
      return written;
    }
    // The explorer's schedules are edited (shrink) or partial (exhaustive): replayed as they are.
    argv.insert(argv.end(), {"--schedule", files.schedule, "--force-schedule"});
  } else {
    argv.insert(argv.end(), {"--seed", std::to_string(request.seed)});
  }
  for (const std::string& a : options.flags.ToArgs()) argv.push_back(a);
  for (const std::string& a : options.extra_run_args) argv.push_back(a);
  argv.insert(argv.end(), {"--record", files.record});
  if (request.keep_trace) argv.insert(argv.end(), {"--trace", files.trace});
  argv.push_back("--");
  argv.push_back(options.script);
  for (const std::string& a : options.args) argv.push_back(a);
  return argv;
}

std::unique_ptr<SeedRunner> MakeSubprocessRunner(const SeedRunnerOptions& options, int index) {
  return std::make_unique<SubprocessRunner>(options, index);
}

}  // namespace loopsim::sim
