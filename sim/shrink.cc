// See shrink.h.
#include "sim/shrink.h"

#include <cstdio>

#include "fakeos/base/check.h"
#include "fakeos/schedule.h"
#include "sim/explore.h"
#include "sim/host_files.h"
#include "sim/run_launch.h"
#include "sim/stdin.h"
#include "sim/timeline.h"
#include "sim/triage.h"

namespace loopsim::sim {

size_t CountNonPlain(const std::vector<Decision>& log) {
  size_t n = 0;
  for (const Decision& d : log) n += d.value != 0;
  return n;
}

std::vector<Decision> TrimPlainTail(std::vector<Decision> log) {
  while (!log.empty() && log.back().value == 0) log.pop_back();
  return log;
}

bool ShrinkBetter(const std::vector<Decision>& a, const std::vector<Decision>& b) {
  const size_t na = CountNonPlain(a), nb = CountNonPlain(b);
  if (na != nb) return na < nb;
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].value != b[i].value) return a[i].value < b[i].value;
  }
  return false;
}

namespace {

class Shrinker {
 public:
  Shrinker(std::vector<Decision> initial, const ShrinkTester& test, const ShrinkOptions& options)
      : current_(TrimPlainTail(std::move(initial))), test_(test), options_(options) {}

  ShrinkOutcome Run() {
    // The plain schedule first: when it fails the same way, no decision matters (one run otherwise).
    if (CountNonPlain(current_) > 0) TryInOrder({{}});
    bool progress = true;
    while (progress && !BudgetHit()) {
      progress = ZeroChunks();
      progress = Redistribute() || progress;
      progress = LowerValues() || progress;
    }
    LS_CHECK_MSG(runs_ <= options_.max_runs, "shrink ran more candidates than --max-runs");
    return {current_, runs_, BudgetHit()};
  }

 private:
  bool BudgetHit() const { return runs_ >= options_.max_runs; }

  // Tests candidates in batches, in order; adopts the first that fails the same way and is better.
  // Returns true when one was adopted.
  bool TryInOrder(const std::vector<std::vector<Decision>>& candidates) {
    for (size_t start = 0; start < candidates.size() && !BudgetHit(); start += options_.batch) {
      const size_t end = std::min(candidates.size(), start + options_.batch);
      std::vector<std::vector<Decision>> batch(candidates.begin() + static_cast<ptrdiff_t>(start),
                                               candidates.begin() + static_cast<ptrdiff_t>(end));
      if (batch.size() > options_.max_runs - runs_) batch.resize(options_.max_runs - runs_);
      std::vector<std::optional<std::vector<Decision>>> results = test_(batch);
      LS_CHECK_MSG(results.size() == batch.size(), "the shrink tester must answer every candidate");
      runs_ += batch.size();
      for (std::optional<std::vector<Decision>>& r : results) {
        if (!r) continue;
        std::vector<Decision> log = TrimPlainTail(std::move(*r));
        if (ShrinkBetter(log, current_)) {
          current_ = std::move(log);
          return true;
        }
      }
    }
    return false;
  }

  std::vector<size_t> NonPlainPositions() const {
    std::vector<size_t> p;
    for (size_t i = 0; i < current_.size(); ++i) {
      if (current_[i].value != 0) p.push_back(i);
    }
    return p;
  }

  bool ZeroChunks() {
    bool any = false;
    size_t size = 1;
    while (size * 2 <= CountNonPlain(current_)) size *= 2;
    for (; size >= 1 && !BudgetHit(); size /= 2) {
      // Retry a size as long as it makes progress: removing one chunk often lets another go.
      for (bool again = true; again && !BudgetHit();) {
        const std::vector<size_t> positions = NonPlainPositions();
        std::vector<std::vector<Decision>> candidates;
        for (size_t c = 0; c < positions.size(); c += size) {
          std::vector<Decision> cand = current_;
          for (size_t k = c; k < std::min(positions.size(), c + size); ++k) cand[positions[k]].value = 0;
          candidates.push_back(TrimPlainTail(std::move(cand)));
        }
        again = TryInOrder(candidates);
        any = any || again;
      }
    }
    return any;
  }

  // Failures that need enough time to pass (a timer due, work still running) often hinge on a sum of
  // costs spread over several decisions; one decision at the same site can usually carry it alone.
  // Tries, for pairs of non-plain decisions at one site, moving the second's value onto the first (or
  // the first to its largest value) and the second to 0.
  bool Redistribute() {
    constexpr size_t kMaxCandidates = 48;
    const std::vector<size_t> positions = NonPlainPositions();
    std::vector<std::vector<Decision>> candidates;
    for (size_t a = 0; a < positions.size() && candidates.size() < kMaxCandidates; ++a) {
      for (size_t b = 0; b < positions.size() && candidates.size() < kMaxCandidates; ++b) {
        const size_t i = positions[a], j = positions[b];
        if (i == j || current_[i].site != current_[j].site || current_[i].n != current_[j].n) continue;
        const uint64_t top = current_[i].n - 1;
        for (uint64_t v : {std::min(top, current_[i].value + current_[j].value), top}) {
          std::vector<Decision> cand = current_;
          cand[i].value = v;
          cand[j].value = 0;
          candidates.push_back(TrimPlainTail(std::move(cand)));
          if (v == top) break;
        }
      }
    }
    return TryInOrder(candidates);
  }

  bool LowerValues() {
    bool any = false;
    for (size_t i = 0; i < current_.size() && !BudgetHit(); ++i) {
      const uint64_t v = current_[i].value;
      if (v <= 1) continue;
      // Candidate values in increasing order: the first that still fails is the lowest of them.
      std::vector<uint64_t> values;
      if (v - 1 <= 8) {
        for (uint64_t x = 1; x < v; ++x) values.push_back(x);
      } else {
        for (uint64_t x : {uint64_t{1}, v / 4, v / 2, (3 * v) / 4, v - 1}) {
          if (x >= 1 && x < v && (values.empty() || values.back() < x)) values.push_back(x);
        }
      }
      std::vector<std::vector<Decision>> candidates;
      for (uint64_t x : values) {
        std::vector<Decision> cand = current_;
        cand[i].value = x;
        candidates.push_back(std::move(cand));
      }
      if (TryInOrder(candidates)) {
        any = true;
        --i;  // the value may go lower still, or the log changed around it
        if (i + 1 > current_.size()) break;
      }
    }
    return any;
  }

  std::vector<Decision> current_;
  const ShrinkTester& test_;
  ShrinkOptions options_;
  uint64_t runs_ = 0;
};

std::string Describe(const Outcome& o) {
  std::string s = std::string(KindName(o.kind)) + ": " + o.message;
  if (!o.top_frame.empty()) s += " at " + o.top_frame;
  return s;
}

}  // namespace

ShrinkOutcome ShrinkDecisions(const std::vector<Decision>& initial, const ShrinkTester& test,
                              const ShrinkOptions& options) {
  ShrinkOutcome shrunk = Shrinker(initial, test, options).Run();
  // Only a better log ever replaces the current one, so the input is never better than the result.
  LS_CHECK_MSG(!ShrinkBetter(TrimPlainTail(initial), shrunk.decisions), "shrinking made the log worse");
  return shrunk;
}

namespace {

// The run to shrink: the seed, or the schedule file's own run (which must fit the script unless
// --force-schedule). `what` names it in messages.
absl::StatusOr<SeedRequest> FirstRequest(const ShrinkCommand& cmd, std::string* what) {
  SeedRequest first;
  first.seed = cmd.seed;
  *what = "seed " + std::to_string(cmd.seed);
  if (cmd.schedule_path.empty()) return first;
  absl::StatusOr<Schedule> s = ReadScheduleFile(cmd.schedule_path);
  if (absl::IsNotFound(s.status())) {
    return absl::NotFoundError(cmd.schedule_path + " is not a schedule: cannot read it");
  }
  if (!s.ok()) return s.status();
  if (!cmd.force_schedule) {
    node_host::ProgramLaunch program;
    program.script = cmd.script;
    program.host_cwd = ".";
    std::string warnings;
    const absl::Status fits = ScheduleFitsScript(cmd.schedule_path, *s, program, &warnings);
    std::fputs(warnings.c_str(), stderr);
    if (!fits.ok()) return fits;
  }
  first.seed = s->seed;
  first.schedule = *std::move(s);
  *what = "schedule " + cmd.schedule_path;
  return first;
}

// Runs the first request; its result when it fails and leaves a decision log to shrink.
absl::StatusOr<SeedResult> FailingRun(SeedSession& session, const SeedRequest& first, const std::string& what) {
  SeedResult initial = session.pool().RunAll({first})[0];
  if (!initial.infra_error.empty()) return absl::InternalError(initial.infra_error);
  const Outcome target = Classify(initial);
  if (!target.failed()) {
    return absl::FailedPreconditionError(what + " does not fail; there is nothing to shrink");
  }
  if (!initial.has_record) {
    return absl::FailedPreconditionError(what + " fails (" + Describe(target) +
                                         ") without leaving a decision log to shrink");
  }
  return initial;
}

// Replays candidates of `seed` in the session's runners; a candidate counts when its run fails with
// `signature`.
ShrinkTester TesterFor(SeedSession& session, uint64_t seed, const std::string& signature) {
  return [&session, seed, signature](const std::vector<std::vector<Decision>>& candidates) {
    std::vector<SeedRequest> requests;
    for (const std::vector<Decision>& c : candidates) {
      SeedRequest r;
      r.seed = seed;
      r.schedule = Schedule{seed, std::nullopt, c};
      requests.push_back(std::move(r));
    }
    std::vector<std::optional<std::vector<Decision>>> out;
    for (SeedResult& r : session.pool().RunAll(requests)) {
      if (r.has_record && Classify(r).Signature() == signature) {
        out.push_back(std::move(r.record.schedule.decisions));
      } else {
        out.push_back(std::nullopt);
      }
    }
    return out;
  };
}

// What shrink prints after the schedule is written: the counts, the decisions that matter, what ran in
// another order than in the plain schedule, and the failing run's timeline. `story` is the shrunk
// schedule's run and the plain schedule's, both traced.
void PrintStory(const ShrinkCommand& cmd, const SeedSession& session, const std::string& what,
                const std::vector<Decision>& original, const ShrinkOutcome& shrunk, const Outcome& target,
                const std::vector<SeedResult>& story) {
  const Outcome confirmed = Classify(story[0]);
  const Outcome plain_outcome = Classify(story[1]);
  std::printf("shrunk %s: %zu decisions (%zu non-plain) -> %zu decisions (%zu non-plain), %llu runs%s\n",
              what.c_str(), original.size(), CountNonPlain(original), shrunk.decisions.size(),
              CountNonPlain(shrunk.decisions), static_cast<unsigned long long>(shrunk.runs),
              shrunk.budget_hit ? " (stopped at --max-runs)" : "");
  std::printf("fails as: %s\n", Describe(target).c_str());
  if (confirmed.Signature() != target.Signature()) {
    std::printf("warning: replaying the shrunk schedule now gives %s\n", Describe(confirmed).c_str());
  }
  std::printf("schedule: %s\n", cmd.output_path.c_str());
  std::printf("replay:   %s\n", session.ReplaySchedule(cmd.output_path).c_str());
  std::printf("\nthe decisions that matter (every other decision takes the plain choice 0):\n");
  for (size_t i = 0; i < shrunk.decisions.size(); ++i) {
    if (shrunk.decisions[i].value != 0) std::printf("  %s\n", DescribeDecision(i, shrunk.decisions[i]).c_str());
  }
  if (CountNonPlain(shrunk.decisions) == 0) {
    std::printf("  none: the plain schedule fails the same way, so this failure does not depend on the schedule\n");
  }
  const std::vector<Happening> failing = Happenings(ParseTrace(story[0].trace));
  const std::vector<Happening> plain = Happenings(ParseTrace(story[1].trace));
  if (CountNonPlain(shrunk.decisions) != 0) {
    std::printf("\nwhat happened in another order than in the plain schedule (which %s):\n",
                plain_outcome.failed() ? ("fails as " + Describe(plain_outcome)).c_str() : "passes");
    std::vector<std::string> lines = ExplainOrder(plain, failing, 8);
    if (lines.empty()) lines.push_back("nothing: the same callbacks ran in the same order; only their timing differs");
    for (const std::string& l : lines) std::printf("  %s\n", l.c_str());
  }
  std::printf("\nthe failing run's callbacks (first time each):\n");
  for (const std::string& l : DescribeTimeline(failing, 40)) std::printf("%s\n", l.c_str());
}

// Shrinks the failing run and writes its schedule; an error to print (exit 2) when it cannot.
absl::Status Shrink(const ShrinkCommand& cmd, SeedSession& session) {
  std::string what;
  absl::StatusOr<SeedRequest> first = FirstRequest(cmd, &what);
  if (!first.ok()) return first.status();
  absl::StatusOr<SeedResult> initial = FailingRun(session, *first, what);
  if (!initial.ok()) return initial.status();
  const Outcome target = Classify(*initial);
  const uint64_t seed = initial->record.schedule.seed;
  const std::vector<Decision> original = initial->record.schedule.decisions;
  ShrinkOptions options;
  options.batch = static_cast<size_t>(session.pool().jobs());
  options.max_runs = cmd.max_runs;
  const ShrinkOutcome shrunk = ShrinkDecisions(original, TesterFor(session, seed, target.Signature()), options);

  const Schedule result{seed, initial->record.schedule.script, shrunk.decisions};
  if (absl::Status written = WriteFile(cmd.output_path, ScheduleToJson(result)); !written.ok()) return written;
  SeedRequest failing_req, plain_req;
  failing_req.seed = plain_req.seed = seed;
  failing_req.schedule = result;
  plain_req.schedule = Schedule{seed, std::nullopt, {}};
  failing_req.keep_trace = plain_req.keep_trace = true;
  PrintStory(cmd, session, what, original, shrunk, target, session.pool().RunAll({failing_req, plain_req}));
  return absl::OkStatus();
}

}  // namespace

int RunShrink(ShrinkCommand cmd, const std::string& argv0) {
  if (absl::Status passed = PassOwnStdin(&cmd.flags); !passed.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(passed.message()).c_str());
    return 2;
  }
  absl::StatusOr<std::unique_ptr<SeedSession>> session = SeedSession::Open(SessionOptionsOf(cmd, argv0));
  absl::Status shrunk = session.ok() ? Shrink(cmd, **session) : session.status();
  if (!shrunk.ok()) {
    std::fprintf(stderr, "loopsim: %s\n", std::string(shrunk.message()).c_str());
    return 2;
  }
  return 0;
}

}  // namespace loopsim::sim
