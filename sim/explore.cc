// See explore.h.
//
// Determinism of the report itself: seeds are handed out in increasing order and their results are
// collected into a per-seed table; the summary is built from the table after the sweep, in seed order,
// so it is the same whatever order the parallel jobs finish in. With --max-failures the sweep stops
// handing out seeds at the K-th failure seen, waits for those running, and keeps exactly the seeds up to
// the K-th failing seed in seed order. Stopped by a signal (interrupt.h), it keeps the seeds up to the
// first one that did not finish, and says so.
#include "sim/explore.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "fakeos/base/check.h"
#include "runtime/node/zygote_protocol.h"
#include "sim/exhaustive.h"
#include "sim/host_files.h"
#include "sim/interrupt.h"
#include "sim/node_binary.h"
#include "sim/report.h"
#include "sim/run_launch.h"
#include "sim/stdin.h"
#include "sim/triage.h"
#include "sim/zygote_runner.h"

namespace loopsim::sim {

namespace {


// Node resolves `node app` to app, app.js, app.json, app.node or app/index.js (or app/package.json's
// main); a script that is none of those would fail every seed the same way, so say so once instead.
bool ScriptExists(const std::string& script) {
  for (const char* suffix : {"", ".js", ".json", ".node", ".cjs", ".mjs", "/index.js", "/package.json"}) {
    const std::string p = script + suffix;
    struct stat st;
    if (::stat(p.c_str(), &st) == 0 && (suffix[0] != '\0' || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) return true;
  }
  return false;
}


// The progress line: only when stderr is a terminal, at most ten times a second.
class Progress {
 public:
  Progress(uint64_t total, const char* unit) : enabled_(::isatty(2) == 1), total_(total), unit_(unit) {}
  void Update(uint64_t done, uint64_t failed, bool force = false) {
    if (!enabled_) return;
    const int64_t now = node_host::HostMonotonicNs();
    if (!force && now - last_ < 100'000'000) return;
    last_ = now;
    const double s = static_cast<double>(now - start_) / 1e9;
    std::fprintf(stderr, "\r\033[K  %llu/%llu %s  %.1f %s/s  %llu failed", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), unit_, s > 0 ? done / s : 0.0, unit_,
                 static_cast<unsigned long long>(failed));
    std::fflush(stderr);
  }
  void Done() {
    if (enabled_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool enabled_;
  uint64_t total_;
  const char* unit_;
  int64_t start_ = node_host::HostMonotonicNs();
  int64_t last_ = 0;
};

// What the sweep keeps of one seed's run: enough to triage and to compare with a re-run.
struct SeedOutcome {
  uint64_t seed = 0;
  Outcome outcome;
  bool has_record = false;
  uint64_t trace_hash = 0;
  std::string out;
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::vector<TestResult> tests;  // what the run's test reporters said (loopsim test)
};

SeedOutcome Keep(uint64_t seed, const SeedResult& r) {
  SeedOutcome k;
  k.seed = seed;
  k.outcome = Classify(r);
  k.has_record = r.has_record;
  k.trace_hash = r.has_record ? r.record.trace_hash : 0;
  k.out = r.out;
  k.exit_code = r.exit_code;
  k.term_signal = r.term_signal;
  k.timed_out = r.timed_out;
  if (r.has_record) k.tests = r.record.tests;
  return k;
}

// Compares a re-run with the first run of a seed; returns what differs ("" when nothing does).
std::string Difference(const SeedOutcome& a, const SeedOutcome& b) {
  if (a.timed_out != b.timed_out) return "one run timed out and the other did not";
  if (a.timed_out) return "";
  if (a.term_signal != b.term_signal) return "killed by signal " + std::to_string(a.term_signal) + ", then " +
                                             std::to_string(b.term_signal);
  if (a.exit_code != b.exit_code) return "exit code " + std::to_string(a.exit_code) + ", then " + std::to_string(b.exit_code);
  if (a.out != b.out) return "stdout differs";
  if (a.has_record && b.has_record && a.trace_hash != b.trace_hash) return "trace differs";
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<SeedSession>> SeedSession::Open(const SeedSessionOptions& options) {
  if (!ScriptExists(options.script)) return absl::NotFoundError("cannot find the script " + options.script);
  const std::string scratch = MakeScratchDir("loopsim-");
  if (scratch.empty()) return absl::InternalError("cannot make a scratch directory under /dev/shm or /tmp");
  std::unique_ptr<SeedSession> s(new SeedSession());
  s->argv0_ = options.argv0;
  s->options_.loopsim_binary = "/proc/self/exe";
  s->options_.script = options.script;
  s->options_.args = options.args;
  s->options_.flags = options.flags;
  s->options_.extra_run_args = options.extra_run_args;
  s->options_.timeout_ms = options.timeout_ms;
  s->options_.scratch_dir = scratch;
  // Exec'd through /proc/self/exe, every seed runs this very executable, even when a rebuild replaces
  // the file on disk in the middle of a sweep.
  const uint32_t cores = std::max(1u, std::thread::hardware_concurrency());
  const int j = static_cast<int>(options.jobs != 0 ? options.jobs : cores);
  LS_CHECK(j >= 1);
  const SeedRunnerOptions& o = s->options_;
  s->pool_ = std::make_unique<RunnerPool>(j, [&o](int index) { return MakeZygoteRunner(o, index); });
  return s;
}

SeedSession::~SeedSession() {
  pool_.reset();  // the runners remove their files
  ::rmdir(options_.scratch_dir.c_str());
}

std::string SeedSession::Replay(const std::vector<std::string>& selector) const {
  std::vector<std::string> words = {argv0_, "replay"};
  for (const std::string& a : options_.flags.ToArgs()) words.push_back(a);
  for (const std::string& a : options_.extra_run_args) words.push_back(a);
  words.insert(words.end(), selector.begin(), selector.end());
  if (!options_.script.empty() && options_.script[0] == '-') words.push_back("--");
  words.push_back(options_.script);
  words.insert(words.end(), options_.args.begin(), options_.args.end());
  return ShellLine(words);
}

std::string SeedSession::ReplaySeed(uint64_t seed) const { return Replay({"--seed", std::to_string(seed)}); }

std::string SeedSession::ReplaySchedule(const std::string& path) const { return Replay({"--schedule", path}); }

namespace {

struct Sweep {
  std::vector<SeedOutcome> seeds;  // in seed order
  bool stopped_early = false;
  std::string coverage;
};

// Random and PCT: one run per seed of this shard.
absl::Status SweepSeeds(const ExploreCommand& cmd, SeedSession& session, Sweep* sweep) {
  std::vector<uint64_t> seeds;
  for (uint64_t i = cmd.shard_index - 1; i < cmd.seeds; i += cmd.shard_count) seeds.push_back(cmd.seed_start + i);
  std::vector<std::optional<SeedOutcome>> table(seeds.size());
  Progress progress(seeds.size(), "seeds");
  uint64_t done = 0, failed = 0;
  std::string infra;
  session.pool().Run(
      seeds.size(),
      [&](size_t i) {
        SeedRequest r;
        r.seed = seeds[i];
        r.keep_decisions = false;  // a seed is run again from the seed alone
        return r;
      },
      [&](size_t i, SeedResult& r) {
        if (!r.infra_error.empty()) {
          infra = r.infra_error;
          return false;
        }
        table[i] = Keep(seeds[i], r);
        ++done;
        if (table[i]->outcome.failed()) ++failed;
        progress.Update(done, failed);
        return cmd.max_failures == 0 || failed < cmd.max_failures;
      });
  progress.Done();
  if (!infra.empty() && StopSignal() == 0) return absl::InternalError(infra);
  uint64_t kept_failures = 0;
  for (std::optional<SeedOutcome>& k : table) {
    if (!k) break;  // handed out in order: after the first missing one, nothing counts
    if (cmd.max_failures != 0 && kept_failures == cmd.max_failures) {
      sweep->stopped_early = true;
      break;
    }
    if (k->outcome.failed()) ++kept_failures;
    LS_CHECK_MSG(sweep->seeds.empty() || sweep->seeds.back().seed < k->seed, "a sweep keeps its seeds in order");
    sweep->seeds.push_back(std::move(*k));
  }
  if (sweep->seeds.size() < seeds.size() && StopSignal() == 0) sweep->stopped_early = true;
  return absl::OkStatus();
}

// Exhaustive: schedules in order of deviations, run in batches; `seed` of each is its run number.
absl::Status SweepTree(const ExploreCommand& cmd, SeedSession& session, Sweep* sweep,
                       std::map<uint64_t, Schedule>* schedules) {
  ScheduleTree tree(cmd.max_deviations);
  Progress progress(cmd.seeds, "schedules");
  uint64_t run = 0, failed = 0;
  const size_t batch = static_cast<size_t>(session.pool().jobs()) * 4;
  bool budget_hit = false;
  while (true) {
    std::vector<ScheduleTree::Item> items;
    ScheduleTree::Item item;
    while (items.size() < batch && run + items.size() < cmd.seeds && tree.Next(&item)) items.push_back(item);
    if (items.empty()) {
      // Everything handed out so far is reported: either nothing is left or the budget is spent.
      budget_hit = !tree.exhausted();
      break;
    }
    std::vector<SeedRequest> requests;
    for (const ScheduleTree::Item& it : items) {
      SeedRequest r;
      r.seed = cmd.seed_start;
      r.schedule = Schedule{cmd.seed_start, std::nullopt, it.prefix};
      requests.push_back(std::move(r));
    }
    std::vector<SeedResult> results = session.pool().RunAll(requests);
    if (StopSignal() != 0) break;  // the batch was cut short: none of it counts
    LS_CHECK(results.size() == items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      SeedResult& r = results[i];
      if (!r.infra_error.empty()) return absl::InternalError(r.infra_error);
      // A run without a record (crash, timeout) has no log to extend: its prefix is a leaf.
      tree.Report(items[i], r.has_record ? r.record.schedule.decisions : items[i].prefix);
      SeedOutcome k = Keep(run, r);
      if (k.outcome.failed()) {
        ++failed;
        (*schedules)[run] = *requests[i].schedule;
      }
      sweep->seeds.push_back(std::move(k));
      ++run;
    }
    progress.Update(run, failed);
    if (cmd.max_failures != 0 && failed >= cmd.max_failures) {
      sweep->stopped_early = true;
      break;
    }
  }
  progress.Done();
  if (StopSignal() != 0) {
    sweep->coverage = "exhaustive: interrupted after " + std::to_string(run) + " schedules; the tree is not covered";
  } else if (tree.covered_all()) {
    sweep->coverage = "exhaustive: covered the whole decision tree (" + std::to_string(run) + " schedules)";
  } else if (tree.exhausted()) {
    sweep->coverage = "exhaustive: covered every schedule with at most " + std::to_string(*cmd.max_deviations) +
                      " deviation(s) from the plain schedule (" + std::to_string(run) +
                      " schedules); the tree goes deeper";
  } else if (budget_hit || sweep->stopped_early) {
    sweep->coverage = "exhaustive: stopped after " + std::to_string(run) + " schedules (--seeds " +
                      std::to_string(cmd.seeds) + " is the budget) while enumerating schedules with " +
                      std::to_string(tree.level()) + " deviation(s); the tree is not covered";
  }
  return absl::OkStatus();
}

// Re-runs failing seeds and a sample of passing ones; returns the seeds that differed, with how.
std::vector<std::pair<uint64_t, std::string>> CheckDeterminism(const ExploreCommand& cmd, SeedSession& session,
                                                               const Sweep& sweep,
                                                               const std::map<uint64_t, Schedule>& schedules) {
  // All failing seeds up to a cap per failure group (a failure hit by most seeds would double the
  // sweep), and every determinism_sample-th passing seed.
  constexpr size_t kPerFailure = 20;
  GroupBy group_by = GroupBy::kShape;
  LS_CHECK(GroupByFromName(cmd.group_by, &group_by));
  std::map<std::string, size_t> per_group;
  std::vector<const SeedOutcome*> again;
  uint64_t passing = 0;
  for (const SeedOutcome& k : sweep.seeds) {
    if (k.outcome.failed()) {
      if (per_group[GroupKey(k.outcome, group_by)]++ < kPerFailure) again.push_back(&k);
    } else if (passing++ % cmd.determinism_sample == 0) {
      again.push_back(&k);
    }
  }
  std::vector<SeedRequest> requests;
  for (const SeedOutcome* k : again) {
    SeedRequest r;
    r.seed = k->seed;
    if (cmd.strategy == "exhaustive") r.schedule = schedules.count(k->seed) ? schedules.at(k->seed) : Schedule{};
    r.keep_decisions = false;  // only how the run ended is compared
    requests.push_back(std::move(r));
  }
  // Exhaustive passing runs have no kept schedule; re-check only the failing ones there.
  std::vector<std::pair<uint64_t, std::string>> differed;
  std::vector<size_t> index;
  std::vector<SeedRequest> runnable;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (cmd.strategy == "exhaustive" && !schedules.count(again[i]->seed)) continue;
    index.push_back(i);
    runnable.push_back(requests[i]);
  }
  std::vector<SeedResult> results = session.pool().RunAll(runnable);
  for (size_t j = 0; j < results.size(); ++j) {
    const SeedOutcome& first = *again[index[j]];
    const std::string diff = Difference(first, Keep(first.seed, results[j]));
    if (!diff.empty()) differed.emplace_back(first.seed, diff);
  }
  return differed;
}

}  // namespace

namespace {

// --strategy pct without --pct-horizon: the horizon is the plain schedule's length, so that change points
// fall where this program decides. Runs the plain schedule of the first seed in a runner of its own.
absl::StatusOr<uint64_t> PlainScheduleLength(const ExploreCommand& cmd, const SeedSession& session, int runner_index) {
  SeedRunnerOptions o = session.options();
  o.flags.pct_depth = 0;
  o.flags.pct_horizon = 1;
  SeedRequest r;
  r.seed = cmd.seed_start;
  const SeedResult plain = MakeSubprocessRunner(o, runner_index)->Run(r);
  if (!plain.infra_error.empty()) return absl::InternalError(plain.infra_error);
  return std::max<uint64_t>(1, plain.has_record ? plain.record.schedule.decisions.size() : 1);
}

// The session a backend's sweep runs in (for PCT without a horizon, opened again once the horizon is
// known).
absl::StatusOr<std::unique_ptr<SeedSession>> OpenSweepSession(const ExploreCommand& cmd, const std::string& argv0,
                                                              const RunFlags& flags) {
  SeedSessionOptions options = SessionOptionsOf(cmd, argv0);
  options.flags = flags;
  absl::StatusOr<std::unique_ptr<SeedSession>> session = SeedSession::Open(options);
  if (!session.ok() || cmd.strategy != "pct" || cmd.pct_horizon_given) return session;
  absl::StatusOr<uint64_t> horizon = PlainScheduleLength(cmd, **session, (*session)->pool().jobs());
  if (!horizon.ok()) return horizon.status();
  options.flags.pct_horizon = *horizon;
  session->reset();
  return SeedSession::Open(options);
}

// Names the replay of a failing seed: its seed, or for exhaustive sweeps a schedule file, one per distinct
// failure, written for its first run.
class Reproducer {
 public:
  Reproducer(const ExploreCommand& cmd, const std::string& backend, const SeedSession& session,
             const std::map<uint64_t, Schedule>& schedules)
      : cmd_(cmd), backend_(backend), session_(session), schedules_(schedules) {}

  std::string operator()(const SeedOutcome& k) {
    if (cmd_.strategy != "exhaustive") return session_.ReplaySeed(k.seed);
    const std::string sig = k.outcome.Signature();
    if (!schedule_file_.count(sig)) {
      ::mkdir(cmd_.schedules_dir.c_str(), 0755);
      const std::string path = cmd_.schedules_dir + "/" + (cmd_.backend == "all" ? backend_ + "-" : std::string()) +
                               "failure-" + std::to_string(schedule_file_.size() + 1) + ".json";
      Schedule schedule = schedules_.at(k.seed);
      schedule.script = ScriptIdentityOf(cmd_.script);
      if (absl::Status written = WriteFile(path, ScheduleToJson(schedule)); !written.ok()) {
        std::fprintf(stderr, "loopsim: %s\n", std::string(written.message()).c_str());
      }
      schedule_file_[sig] = path;
    }
    return session_.ReplaySchedule(schedule_file_[sig]);
  }

 private:
  const ExploreCommand& cmd_;
  const std::string backend_;
  const SeedSession& session_;
  const std::map<uint64_t, Schedule>& schedules_;
  std::map<std::string, std::string> schedule_file_;
};

// Adds a sweep's seeds to the summary: every seed's tests, every failure with its replay, and under
// --check-determinism the seeds that ran twice and differed.
void AddSweep(const ExploreCommand& cmd, SeedSession& session, const Sweep& sweep,
              const std::map<uint64_t, Schedule>& schedules, Reproducer& reproduce, Summary* summary) {
  std::vector<bool> failed(sweep.seeds.size());
  for (size_t i = 0; i < sweep.seeds.size(); ++i) {
    const SeedOutcome& k = sweep.seeds[i];
    AddTests(*summary, k.seed, k.tests);
    if (!k.outcome.failed()) continue;
    failed[i] = true;
    AddFailure(*summary, k.outcome, k.seed, reproduce(k));
  }
  if (cmd.check_determinism && StopSignal() == 0) {
    for (const auto& [seed, diff] : CheckDeterminism(cmd, session, sweep, schedules)) {
      Outcome o;
      o.kind = Kind::kNondeterminism;
      o.message = "ran twice and differed: " + diff;
      for (size_t i = 0; i < sweep.seeds.size(); ++i) {
        if (sweep.seeds[i].seed != seed) continue;
        failed[i] = true;
        AddFailure(*summary, o, seed, reproduce(sweep.seeds[i]));
      }
    }
  }
  summary->failed += static_cast<uint64_t>(std::count(failed.begin(), failed.end(), true));
  LS_CHECK_MSG(summary->failed <= summary->runs, "more failing seeds than seeds run");
}

// One backend's sweep, added to the summary: its runs, its failing seeds and their replay commands.
// An error on a usage or infrastructure error.
absl::Status SweepBackend(const ExploreCommand& cmd, const std::string& argv0, const RunFlags& flags,
                          Summary* summary) {
  absl::StatusOr<std::unique_ptr<SeedSession>> session = OpenSweepSession(cmd, argv0, flags);
  if (!session.ok()) return session.status();
  Sweep sweep;
  std::map<uint64_t, Schedule> schedules;  // exhaustive: the failing runs' schedules
  const absl::Status swept = cmd.strategy == "exhaustive" ? SweepTree(cmd, **session, &sweep, &schedules)
                                                          : SweepSeeds(cmd, **session, &sweep);
  if (!swept.ok()) return absl::InternalError("cannot run seeds: " + std::string(swept.message()));
  summary->runs += sweep.seeds.size();
  summary->stopped_early = summary->stopped_early || sweep.stopped_early;
  if (!sweep.coverage.empty()) {
    summary->coverage += (summary->coverage.empty() ? "" : "\n") +
                         (cmd.backend == "all" ? flags.backend + ": " : std::string()) + sweep.coverage;
  }
  Reproducer reproduce(cmd, flags.backend, **session, schedules);
  AddSweep(cmd, **session, sweep, schedules, reproduce, summary);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Summary> Explore(ExploreCommand cmd, const std::string& argv0) {
  if (cmd.strategy == "exhaustive" && cmd.shard_count > 1) {
    return absl::InvalidArgumentError("--shard splits seeds; it does not apply to --strategy exhaustive");
  }
  if (absl::Status passed = PassOwnStdin(&cmd.flags); !passed.ok()) return passed;
  const int64_t start_ns = node_host::HostMonotonicNs();
  const std::vector<std::string> backends =
      cmd.backend == "all" ? SimulatedBackends() : std::vector<std::string>{cmd.flags.backend};
  Summary summary;
  absl::StatusOr<std::string> node = ResolveNode(cmd.flags.node);
  absl::StatusOr<std::string> version = node.ok() ? NodeVersion(*node) : node.status();
  if (!version.ok()) return version.status();
  summary.node = *version;
  summary.node_path = *node;
  summary.script = cmd.script;
  summary.args = cmd.args;
  summary.strategy = cmd.strategy;
  summary.backend = cmd.backend;
  summary.seed_start = cmd.seed_start;
  summary.seeds = cmd.seeds;
  summary.shard_index = cmd.shard_index;
  summary.shard_count = cmd.shard_count;
  LS_CHECK_MSG(GroupByFromName(cmd.group_by, &summary.group_by), "the parser let an unknown --group-by through");
  for (const std::string& backend : backends) {
    RunFlags flags = cmd.flags;
    flags.backend = backend;
    if (absl::Status swept = SweepBackend(cmd, argv0, flags, &summary); !swept.ok() && StopSignal() == 0) {
      return swept;
    }
    if (StopSignal() != 0) break;
  }
  const int stop = StopSignal();
  if (stop != 0) summary.interrupted = "SIG" + std::string(sigabbrev_np(stop));
  RunFlags shown = cmd.flags;
  shown.backend = backends.size() == 1 ? backends[0] : RunFlags().backend;
  summary.run_flags = ShellLine(shown.ToArgs());
  SortFailures(summary);
  summary.wall_s = static_cast<double>(node_host::HostMonotonicNs() - start_ns) / 1e9;
  return summary;
}

namespace {

// Writes the --json and --junit reports that were asked for; false after printing why one could not be.
bool WriteReports(const std::string& json_path, const std::string& junit_path, const Summary& summary) {
  bool ok = true;
  for (const auto& [path, text] : {std::pair{json_path, json_path.empty() ? "" : SummaryToJson(summary)},
                                   std::pair{junit_path, junit_path.empty() ? "" : SummaryToJUnit(summary)}}) {
    if (path.empty()) continue;
    if (absl::Status written = WriteFile(path, text); !written.ok()) {
      std::fprintf(stderr, "loopsim: %s\n", std::string(written.message()).c_str());
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int RunExplore(const ExploreCommand& cmd, const std::string& argv0) {
  absl::StatusOr<Summary> explored = Explore(cmd, argv0);
  if (!explored.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(explored.status().message()).c_str());
    return 2;
  }
  const Summary& summary = *explored;
  const int stop = StopSignal();
  std::fputs(SummaryToText(summary).c_str(), stdout);
  std::fflush(stdout);
  int code = stop != 0 ? 128 + stop : summary.HasProgramFailures() ? 1 : summary.HasUnsupported() ? 2 : 0;
  if (!WriteReports(cmd.json_path, cmd.junit_path, summary)) code = 2;
  return code;
}

int RunMerge(const MergeCommand& cmd) {
  std::vector<Summary> shards;
  for (const std::string& path : cmd.inputs) {
    absl::StatusOr<std::string> text = ReadFile(path);
    absl::StatusOr<Summary> s = text.ok() ? SummaryFromJson(*text) : absl::NotFoundError("cannot read it");
    if (!s.ok()) {
      std::fprintf(stderr, "loopsim: %s: %s\n", path.c_str(), std::string(s.status().message()).c_str());
      return 2;
    }
    shards.push_back(*std::move(s));
  }
  absl::StatusOr<Summary> merged = MergeSummaries(shards);
  if (!merged.ok()) {
    std::fprintf(stderr, "loopsim: merge: %s\n", std::string(merged.status().message()).c_str());
    return 2;
  }
  std::fputs(SummaryToText(*merged).c_str(), stdout);
  if (!WriteReports(cmd.json_path, cmd.junit_path, *merged)) return 2;
  return merged->HasProgramFailures() ? 1 : merged->HasUnsupported() ? 2 : 0;
}

}  // namespace loopsim::sim
