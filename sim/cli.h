// Command-line parsing for `loopsim`: options come before the script, as with node, and everything after
// the script belongs to the program; `--opt value` and `--opt=value` are the same. A script may carry
// options of its own: `// @loopsim OPTIONS` lines in its leading comments (--host, --command, --faults,
// --env, --max-virtual-ms; paths relative to the script's folder) count as if given before the command
// line's own, which therefore win. One option table per
// command (run, replay, explore, shrink, merge) parses its command line and prints its --help; the
// options that decide how a single seed runs are shared by all of them (RunFlags), so the explorer can
// hand them to each seed's process and print them in the command that replays a failure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loopsim::sim {

// How one simulated run goes, apart from its seed or schedule: what `replay` needs to repeat a run.
struct RunFlags {
  std::string node;                       // --node as given ("": LOOPSIM_NODE, else node on PATH)
  std::vector<std::string> node_options;  // --node-option, each one argument of node's own, in order
  // --env NAME=VALUE, --env-file FILE and --pass-env NAME, resolved to values as they are read, in order;
  // the simulated machine's environment has them over its defaults. Replay commands carry the values.
  std::vector<std::pair<std::string, std::string>> env;
  std::string preload;  // --preload: a script to require before the program (as node --require)
  // --root: the project's root, visible read-only ("": the nearest folder above the working directory,
  // and the one above the script, that holds a package.json or .git).
  std::string root;
  // --stdin FILE: the bytes the program's stdin (fd 0) reads, as a file (`node SCRIPT < FILE`). Without
  // it `run` gives the program what loopsim's own stdin carries when that is a pipe or a file, and
  // explore and shrink save that to a file of their own and pass it as --stdin (sim/stdin.h).
  std::string stdin_path;
  bool allow_addons = false;  // --allow-addons: the program may load native addons (host code, unsimulated)
  // --host NAME=ADDR[,ADDR...]: the network's other hosts, in the order first declared (a name declared
  // again takes its new addresses). A child process runs on the one its LOOPSIM_HOST names.
  std::vector<std::pair<std::string, std::vector<std::string>>> hosts;
  // --command NAME=SCRIPT: a spawn of command NAME runs SCRIPT (absolute host path) as a node program.
  std::vector<std::pair<std::string, std::string>> commands;
  std::string backend = "epoll";
  std::string faults = "none";
  std::string strategy = "random";  // random | pct: which chooser draws the seed's decisions
  uint32_t pct_depth = 3;
  uint64_t pct_horizon = 64;
  uint64_t max_virtual_ms = 0;   // 0: the runtime's default budget (one week of virtual time)
  uint64_t max_iterations = 0;   // 0: the runtime's default budget
  uint64_t max_memory_mb = 0;    // 0: V8's own heap limit; else the limit of the JavaScript heap
  bool check = false;            // check the run's trace against the event-loop invariants (sim/check.h)
  bool report_tests = false;     // --report-tests: loopsim's test reporters are visible (what `test` runs)

  // The flags as `loopsim run` takes them; only those that differ from the defaults.
  std::vector<std::string> ToArgs() const;
};

// The readiness models `run --backend` simulates; `explore --backend all` runs every seed on each.
std::vector<std::string> SimulatedBackends();

struct RunCommand {
  uint64_t seed = 0;
  bool seed_given = false;
  RunFlags flags;
  std::string schedule_path;  // replay this decision log instead of drawing from the seed
  // --force-schedule: replay the schedule even when it does not fit (recorded for another script, or a
  // decision at another site or with another number of alternatives). The explorer's and shrink's own
  // runs of edited or partial schedules pass it too.
  bool force_schedule = false;
  std::string record_path;    // leave the run record here (used by the explorer)
  // What the run record calls the program's stdin: "" names flags.stdin_path, "-" says it was loopsim's
  // own stdin (captured to a temporary file that flags.stdin_path names).
  std::string stdin_name;
  std::string trace_path;
  std::string trace_format = "jsonl";
  std::vector<std::string> test_mutations;  // test-only: rules of the loop to break (--test-mutation)
  // Test-only (hidden): make loopsim itself misbehave so the explorer's handling of it can be tested.
  std::optional<uint64_t> test_segv_seed;  // raise SIGSEGV before the program starts when seed == this
  std::string test_nondeterministic_counter;  // count runs in this file and mix the count into the seed
  std::string script;
  std::vector<std::string> args;
};

struct ExploreCommand {
  uint64_t seeds = 100;  // for exhaustive: the budget of runs
  uint64_t seed_start = 0;
  uint32_t jobs = 0;  // 0: one per core
  std::string strategy = "random";  // random | pct | exhaustive
  std::string backend = "epoll";    // a simulated backend, or all
  RunFlags flags;                   // strategy/backend inside are what each seed runs with
  bool pct_horizon_given = false;
  std::optional<uint64_t> max_deviations;  // exhaustive: only schedules with at most this many
  std::string json_path;
  std::string junit_path;
  std::string schedules_dir = "loopsim-schedules";  // exhaustive: where failing schedules are written
  uint64_t max_failures = 0;  // 0: no limit
  std::string group_by = "shape";  // shape | message | kind: what makes two failures one (sim/triage.h)
  uint32_t shard_index = 1;   // K of --shard K/N, 1-based
  uint32_t shard_count = 1;
  uint64_t timeout_ms = 30'000;
  bool check_determinism = false;
  uint64_t determinism_sample = 10;  // re-run every this-many-th passing seed
  std::vector<std::string> test_run_args;  // hidden: appended to every seed's `run` flags
  std::string script;
  std::vector<std::string> args;
  // `loopsim test`: the words after the options: a test runner's command (after `--`), or test files.
  std::vector<std::string> test_words;
};

struct ShrinkCommand {
  uint64_t seed = 0;
  bool seed_given = false;
  std::string schedule_path;  // or shrink a schedule file's failure
  bool force_schedule = false;  // shrink the schedule even if it was recorded for another script
  RunFlags flags;
  std::string output_path = "loopsim-shrunk.json";
  uint32_t jobs = 0;
  uint64_t timeout_ms = 30'000;
  uint64_t max_runs = 400;
  std::vector<std::string> test_run_args;
  std::string script;
  std::vector<std::string> args;
};

struct MergeCommand {
  std::vector<std::string> inputs;
  std::string json_path;
  std::string junit_path;
};

struct ParseResult {
  std::string command;                  // run | replay | explore | shrink | merge
  std::optional<RunCommand> run;        // run and replay
  std::optional<ExploreCommand> explore;  // explore and test
  std::optional<ShrinkCommand> shrink;
  std::optional<MergeCommand> merge;
  std::string error;  // set when the command line is wrong (exit 2)
  std::string usage;  // with an error: the command's usage line and where its options are listed
  bool help = false;
  std::string help_text;  // with help: the help asked for (a command's, or the overview)
  bool version = false;
};

ParseResult ParseCommandLine(const std::vector<std::string>& argv);

// Shell-quotes one word when it needs it, so printed commands can be pasted back.
std::string ShellWord(const std::string& word);
std::string ShellLine(const std::vector<std::string>& words);

// The help of one command (run, replay, explore, shrink, merge), or with "" the overview of them all:
// generated from the same option tables ParseCommandLine parses with.
std::string HelpText(const std::string& command);

}  // namespace loopsim::sim
