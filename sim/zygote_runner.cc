// See zygote_runner.h. Files, not pipes, carry a seed's stdout and stderr (as in the subprocess runner):
// a chatty program can never block on a full pipe. The zygote's own stderr goes to a file too, quoted
// when the zygote fails to boot. The runner waits for a reply under its own host-time bound, past the
// zygote's watchdog, so a zygote that stops answering is replaced rather than waited on forever.
#include "sim/zygote_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fakeos/base/check.h"
#include "sim/cli.h"
#include "sim/host_files.h"
#include "sim/interrupt.h"
#include "sim/run_launch.h"
#include "sim/spawn.h"

extern char** environ;

namespace loopsim::sim {

namespace {

// How long a zygote may take to boot, and how much longer than a seed's own budget the runner waits for
// the zygote's reply before it gives the zygote up.
constexpr int64_t kBootTimeoutMs = 120'000;
constexpr int64_t kReplySlackMs = 10'000;
constexpr int kControlFd = 3;

// The seed's run exactly as `loopsim run` with the same command line would prepare it.
absl::StatusOr<PreparedRun> PrepareSeedRun(const SeedRunnerOptions& options, const SeedRequest& request,
                                           const RunFiles& files) {
  absl::StatusOr<std::vector<std::string>> argv = RunArgs("loopsim", options, request, files);
  if (!argv.ok()) return argv.status();
  const ParseResult parsed = ParseCommandLine(*argv);
  if (!parsed.run) return absl::InternalError("a seed's run command line does not parse: " + parsed.error);
  return PrepareRun(*parsed.run);
}

// Waits until fd is readable; false when the time runs out first.
bool WaitReadable(int fd, int64_t timeout_ms) {
  const int64_t deadline = node_host::HostMonotonicNs() + timeout_ms * 1'000'000;
  for (;;) {
    const int64_t left_ms = (deadline - node_host::HostMonotonicNs()) / 1'000'000;
    if (left_ms < 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms + 1, 1000)));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

class ZygoteRunnerImpl final : public ZygoteRunner {
 public:
  ZygoteRunnerImpl(const SeedRunnerOptions& options, int index, const ZygoteRunnerOptions& zygote)
      : options_(options),
        index_(index),
        zygote_options_(zygote),
        files_(options_.scratch_dir + "/z" + std::to_string(index)),
        zygote_log_path_(options_.scratch_dir + "/z" + std::to_string(index) + ".zygote.err") {
    InstallStopHandlers();
  }

  ~ZygoteRunnerImpl() override {
    StopZygote();
    files_.Remove();
    ::unlink(zygote_log_path_.c_str());
  }

  const node_host::ZygoteReply& last_costs() const override { return last_costs_; }
  int64_t boot_ns() const override { return boot_ns_; }
  int zygotes_started() const override { return zygotes_started_; }
  int zygote_pid() const override { return zygote_pid_; }
  int fallback_runs() const override { return fallback_runs_; }

  SeedResult Run(const SeedRequest& request) override {
    SeedResult result;
    absl::StatusOr<PreparedRun> prepared = Prepare(request);
    if (!prepared.ok()) {
      result.infra_error = std::string(prepared.status().message());
      return result;
    }
    node_host::ProgramLaunch program = prepared->launch.program;
    program.warm_up = !zygote_options_.cold;
    if (absl::Status based = base_program_ ? absl::OkStatus() : BaseProgram(); !based.ok()) {
      result.infra_error = std::string(based.message());
      RunEnd unused;
      FinishRun(*prepared, &unused);
      return result;
    }
    LS_CHECK(base_program_.has_value());
    if (!(program == *base_program_)) {
      // The request's own flags make it another program than the zygote's (a preload of its own): it is
      // run as a process of its own instead, which gives the same result, only slower.
      RunEnd unused;
      FinishRun(*prepared, &unused);
      if (!fallback_) fallback_ = MakeSubprocessRunner(options_, index_);
      ++fallback_runs_;
      return fallback_->Run(request);
    }
    node_host::ZygoteRequest z;
    prepared->launch.seed.record_decisions = request.keep_decisions;
    z.seed = node_host::SeedLaunchToJson(prepared->launch.seed);
    z.stdout_path = files_.out;
    z.stderr_path = files_.err;
    z.timeout_ms = options_.timeout_ms;
    z.measure_memory = zygote_options_.measure_memory;
    absl::StatusOr<node_host::ZygoteReply> reply = Ask(z, prepared->launch, program);
    RunEnd end;
    if (!reply.ok()) {
      FinishRun(*prepared, &end);
      result.infra_error = std::string(reply.status().message());
      return result;
    }
    last_costs_ = *reply;
    result.timed_out = reply->timed_out;
    result.wall_ns = reply->wall_ns;
    if (!reply->timed_out) {
      if (WIFEXITED(reply->wait_status)) end.exit_code = WEXITSTATUS(reply->wait_status);
      if (WIFSIGNALED(reply->wait_status)) end.term_signal = WTERMSIG(reply->wait_status);
    }
    FinishRun(*prepared, &end);
    if (reply->timed_out) end = RunEnd();  // nothing of a killed run is to be believed
    result.exit_code = end.exit_code;
    result.term_signal = end.term_signal;
    ReadRunFiles(files_, request.keep_trace, &result);
    result.err += end.messages;
    return result;
  }

 private:
  // Sends the request to the zygote (starting one for `program` first when there is none) and waits for
  // its reply. A zygote that died or stopped answering is replaced once; a seed that kills its zygote
  // twice is an infrastructure error, not a result.
  absl::StatusOr<node_host::ZygoteReply> Ask(const node_host::ZygoteRequest& z, const node_host::Launch& launch,
                                             const node_host::ProgramLaunch& program) {
    node_host::ZygoteReply reply;
    bool answered = false;
    for (int attempt = 0; attempt < 2 && !answered && StopSignal() == 0; ++attempt) {
      ::unlink(files_.record.c_str());
      ::unlink(files_.trace.c_str());
      if (control_fd_ < 0) {
        if (absl::Status started = StartZygote(launch, program); !started.ok()) return started;
      }
      answered = node_host::SendZygoteRequest(control_fd_, z) &&
                 WaitReadable(control_fd_, static_cast<int64_t>(options_.timeout_ms) + kReplySlackMs) &&
                 node_host::ReceiveZygoteReply(control_fd_, &reply);
      if (!answered) StopZygote();
    }
    if (!answered) return absl::UnavailableError("the zygote for " + options_.script + " stopped answering");
    if (reply.failed) return absl::InternalError(std::string("the zygote could not run the seed: ") + reply.error);
    return reply;
  }

  // The seed's run as `loopsim run` would prepare it. A plain seed (no schedule, no trace kept) differs
  // from the runner's first plain one by its seed alone, so that one is prepared once (a command line
  // parsed and checked, the script and host files read: about 0.1 ms, a tenth of an empty seed) and
  // copied with the seed changed; unless it has files or steps of its own to finish (--check, a Chrome
  // trace), which are made new for every run.
  absl::StatusOr<PreparedRun> Prepare(const SeedRequest& request) {
    const bool plain = !request.schedule && !request.keep_trace;
    if (plain && plain_run_) {
      PreparedRun run = *plain_run_;
      run.seed = request.seed;
      run.launch.seed.seed = request.seed;
      return run;
    }
    absl::StatusOr<PreparedRun> prepared = PrepareSeedRun(options_, request, files_);
    if (plain && prepared.ok() && !prepared->check && prepared->scratch.empty() && prepared->chrome_jsonl.empty()) {
      LS_CHECK(prepared->seed == request.seed && prepared->launch.seed.seed == request.seed);
      plain_run_ = *prepared;
    }
    return prepared;
  }

  // The program the zygote boots: the runner's own, as a plain seed's run prepares it (Prepare's copy
  // when it has one). Runs whose flags give each of them another program (a temporary preload) never
  // match it.
  absl::Status BaseProgram() {
    absl::StatusOr<PreparedRun> base = Prepare(SeedRequest());
    if (!base.ok()) return base.status();
    base_program_ = base->launch.program;
    base_program_->warm_up = !zygote_options_.cold;
    RunEnd unused;
    FinishRun(*base, &unused);
    return absl::OkStatus();
  }

  // Starts the user's node as a zygote for `program` (launch.h: its control socket is descriptor 3).
  absl::Status StartZygote(const node_host::Launch& first, const node_host::ProgramLaunch& program) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
      return absl::InternalError(std::string("cannot make the zygote's socket: ") + std::strerror(errno));
    }
    node_host::Launch launch = first;
    launch.program = program;
    launch.seed = node_host::SeedLaunch();
    launch.zygote_fd = kControlFd;
    launch.test_zygote_age_ms = zygote_options_.test_age_ms;
    launch.zygote_recycles = !zygote_options_.fork_per_seed;
    launch.test_recycle_leaves_pages = zygote_options_.test_recycle_leaves_pages;
    const std::vector<std::string> argv = NodeArgv(program);
    const std::vector<std::string> env = NodeEnv(launch);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], kControlFd);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, zygote_log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // In a process group of its own, so that stopping the zygote takes its children too.
    pid_t pid = 0;
    const int rc = SpawnInOwnGroup(argv, &actions, &pid, &env);
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    if (rc != 0) {
      ::close(sv[0]);
      return absl::InternalError("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    zygote_pid_ = pid;
    TrackGroup(pid);
    control_fd_ = sv[0];
    ++zygotes_started_;
    node_host::ZygoteReady ready;
    if (!WaitReadable(control_fd_, kBootTimeoutMs) || !node_host::ReceiveZygoteReady(control_fd_, &ready)) {
      StopZygote();
      const std::string log = ReadFile(zygote_log_path_).value_or("");
      return absl::InternalError("the zygote for " + options_.script + " did not boot" +
                                 (log.empty() ? "" : ": " + log));
    }
    boot_ns_ = ready.boot_ns;
    return absl::OkStatus();
  }

  // Closing the socket ends a healthy zygote; one that does not go within a second is killed, with
  // whatever child it has.
  void StopZygote() {
    if (control_fd_ >= 0) ::close(control_fd_);
    control_fd_ = -1;
    if (zygote_pid_ <= 0) return;
    int status = 0;
    const int64_t deadline = node_host::HostMonotonicNs() + 1'000'000'000;
    while (::waitpid(zygote_pid_, &status, WNOHANG) == 0) {
      if (node_host::HostMonotonicNs() > deadline) {
        ::kill(-zygote_pid_, SIGKILL);
        ::kill(zygote_pid_, SIGKILL);
        while (::waitpid(zygote_pid_, &status, 0) < 0 && errno == EINTR) {
        }
        break;
      }
      const timespec nap{0, 2'000'000};
      ::nanosleep(&nap, nullptr);
    }
    ForgetGroup(zygote_pid_);
    zygote_pid_ = -1;
  }

  SeedRunnerOptions options_;
  int index_;
  ZygoteRunnerOptions zygote_options_;
  std::unique_ptr<SeedRunner> fallback_;  // for requests the zygote cannot serve
  std::optional<node_host::ProgramLaunch> base_program_;
  std::optional<PreparedRun> plain_run_;  // Prepare's, once a plain seed was prepared
  int fallback_runs_ = 0;
  RunFiles files_;
  std::string zygote_log_path_;
  int control_fd_ = -1;
  pid_t zygote_pid_ = -1;
  int64_t boot_ns_ = 0;
  int zygotes_started_ = 0;
  node_host::ZygoteReply last_costs_;
};

}  // namespace

std::unique_ptr<ZygoteRunner> MakeZygoteRunner(const SeedRunnerOptions& options, int index,
                                               const ZygoteRunnerOptions& zygote) {
  return std::make_unique<ZygoteRunnerImpl>(options, index, zygote);
}

}  // namespace loopsim::sim
