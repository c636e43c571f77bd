// What a sweep found, and the forms it is reported in: the text summary on stdout, a JSON summary
// (--json) that `loopsim merge` reads back, and JUnit XML (--junit) for CI systems: one test case for the
// sweep and one per failure group.
//
// Failing seeds fall into groups by GroupKey (sim/triage.h; --group-by, default shape). A group keeps
// every seed, its first seed and the command that replays it, and its variants: the exact failures
// (kind, message, top frame) seen in it, each with its count and first seed. The text and JUnit reports
// show the few most common variants; the JSON summary keeps them all, so that merging shards adds up
// exactly.
//
// Shards: `explore --shard K/N` runs the seeds S+i (0 <= i < seeds) with i % N == K-1, i.e. round robin,
// so slow seeds spread evenly. Every field of a shard's summary is either a sum over its seeds (counts),
// a union (failing seeds), or a minimum (first seed), so merging the N shards' summaries gives exactly
// the summary of the unsharded sweep, apart from timing ("stats") and "merged_from". That holds as
// long as the shards ran the same program, arguments and options without --max-failures (which stops
// each shard at its own K-th failure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/triage.h"

namespace loopsim::sim {

// One exact failure of a group.
struct Variant {
  Outcome outcome;
  uint64_t count = 0;
  uint64_t first_seed = 0;
  std::string reproduce;  // the command that replays first_seed
};

struct FailureGroup {
  Outcome outcome;              // the failure of the first seed: the group's kind and site, a message of it
  std::string key;              // GroupKey(outcome, the summary's group_by)
  uint64_t first_seed = 0;      // for exhaustive: the run number
  std::vector<uint64_t> seeds;  // every seed that failed this way, ascending
  std::string reproduce;        // the command that replays first_seed
  std::vector<Variant> variants;  // most common first, then by first seed

  // The group's message with the varying parts masked (OutcomeShape).
  std::string Shape() const;
};

// One test of a test framework, over the seeds of `loopsim test`.
struct TestTally {
  std::string name;  // suite › test
  std::string file;
  uint64_t runs = 0;    // seeds in which it ran
  uint64_t failed = 0;  // of them, those in which it failed
  std::vector<uint64_t> failed_seeds;  // the first few, in seed order
  std::string message;  // its failure's message on the first seed it failed on
  std::string reproduce;  // the command that replays that seed (filled in by `test`)
};

struct Summary {
  std::string script;
  std::vector<std::string> args;
  std::string strategy;
  std::string backend;
  std::string run_flags;  // the run options every seed had, as one line
  std::string node;       // the node that ran the program, as `node --version` says ("v22.23.5")
  std::string node_path;  // and where it is
  uint64_t seed_start = 0;
  uint64_t seeds = 0;     // the size of the whole (unsharded) seed range, or the run budget
  uint32_t shard_index = 1, shard_count = 1;
  uint64_t runs = 0;      // seeds (or schedules) this sweep ran
  uint64_t failed = 0;    // of them, how many failed in any way
  bool stopped_early = false;  // --max-failures cut the sweep short
  std::string interrupted;     // the signal that stopped the sweep ("SIGINT", "SIGTERM"), or ""
  std::string coverage;        // exhaustive: what part of the decision tree was covered
  GroupBy group_by = GroupBy::kShape;
  std::vector<FailureGroup> failures;  // ordered by first seed, then key
  std::vector<TestTally> tests;        // `loopsim test`: every test a reporter told of, in first-seen order
  uint64_t merged_from = 1;
  double wall_s = 0;  // host time, not part of the comparable result

  uint64_t passed() const { return runs - failed; }
  // Failures other than "loopsim cannot simulate this": what makes explore exit 1.
  bool HasProgramFailures() const;
  bool HasUnsupported() const;
};

// Adds one failing seed. Its group (by the summary's group_by) and its variant are found when the
// failures are sorted: call SortFailures after adding, before anything reads the groups.
void AddFailure(Summary& summary, const Outcome& outcome, uint64_t seed, const std::string& reproduce);
// Folds the groups of one key and their variants of one exact failure together, and orders them.
void SortFailures(Summary& summary);
// Counts one seed's tests (RunRecord::tests) into the summary's tallies.
void AddTests(Summary& summary, uint64_t seed, const std::vector<TestResult>& tests);

std::string SummaryToJson(const Summary& summary);
// InvalidArgument, saying what is wrong, when `text` is not a summary SummaryToJson wrote.
absl::StatusOr<Summary> SummaryFromJson(const std::string& text);
std::string SummaryToJUnit(const Summary& summary);
std::string SummaryToText(const Summary& summary);
// `loopsim test`'s reports: per test (its tallies), each failing test with its message, seeds and replay,
// then the flaky tests' table; JUnit with one test case per test.
std::string TestsToText(const Summary& summary);
std::string TestsToJUnit(const Summary& summary);

// Merges shard summaries into the summary of the whole sweep: the same groups, seeds, variants and
// counts. InvalidArgument, saying why, when they are not shards of one sweep grouped the same way.
absl::StatusOr<Summary> MergeSummaries(const std::vector<Summary>& shards);

}  // namespace loopsim::sim
