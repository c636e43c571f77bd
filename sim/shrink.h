// `loopsim shrink`: minimises a failing seed's decision log to a schedule that still fails the same way
// (same triage signature), with as few non-plain decisions as it can find, then with the lowest values,
// and writes it as a schedule file for `replay --schedule`.
//
// Choice-sequence shrinking, as property-testing libraries shrink their random choices: the plain
// schedule (every decision 0) is tried first; then candidates are the current log with chunks of its
// non-plain decisions set to 0 (ddmin-style: halves, quarters, ...,
// single decisions), with one decision's value moved onto another of the same site (failures that need
// enough virtual time to pass hinge on a sum of costs), and with single values lowered. A candidate is replayed (past its end, or where it
// no longer fits the run, the plain choice is taken) and, if it fails the same way, the run's own log
// with trailing plain decisions trimmed becomes the new current one, but only when it is better in the
// order (non-plain decisions, length, values). The replayed run takes a candidate's non-plain values only
// at their own positions, so the trimmed log is never longer than the candidate, which is never longer
// than the input.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "fakeos/chooser.h"
#include "sim/cli.h"

namespace loopsim::sim {

// Replays candidates (in parallel where it can); for each, the run's decision log when the run failed
// the same way, else nullopt.
using ShrinkTester = std::function<std::vector<std::optional<std::vector<Decision>>>(
    const std::vector<std::vector<Decision>>& candidates)>;

struct ShrinkOptions {
  size_t batch = 1;        // candidates tested at once (one per job)
  uint64_t max_runs = 400;
};

struct ShrinkOutcome {
  std::vector<Decision> decisions;
  uint64_t runs = 0;
  bool budget_hit = false;
};

size_t CountNonPlain(const std::vector<Decision>& log);
std::vector<Decision> TrimPlainTail(std::vector<Decision> log);
// The shrink order: fewer non-plain decisions, then shorter, then lower values position by position.
bool ShrinkBetter(const std::vector<Decision>& a, const std::vector<Decision>& b);

ShrinkOutcome ShrinkDecisions(const std::vector<Decision>& initial, const ShrinkTester& test,
                              const ShrinkOptions& options);

// Runs `shrink`; returns its exit code (0 shrunk, 2 usage error or a seed that does not fail).
int RunShrink(ShrinkCommand command, const std::string& argv0);

}  // namespace loopsim::sim
