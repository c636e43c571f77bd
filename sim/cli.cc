// See cli.h.
#include "sim/cli.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "sim/env_file.h"

#include "runtime/uv/backend_names.h"

namespace loopsim::sim {

const char kUsage[] =
    "usage: loopsim run     [--seed N | --schedule FILE] [run options] [--record FILE] [--trace FILE]\n"
    "                       SCRIPT [ARGS...]\n"
    "       loopsim replay  --seed N | --schedule FILE  [run options] [--trace FILE] SCRIPT [ARGS...]\n"
    "       loopsim explore [--seeds N] [--seed-start S] [--jobs J] [--shard K/N]\n"
    "                       [--strategy random|pct|exhaustive] [--backend NAME|all] [--faults PROFILE]\n"
    "                       [--json FILE] [--junit FILE] [--max-failures K] [--timeout-ms MS]\n"
    "                       [--check-determinism] [run options] SCRIPT [ARGS...]\n"
    "       loopsim shrink  --seed N | --schedule FILE  [-o FILE] [run options] SCRIPT [ARGS...]\n"
    "       loopsim test    [explore options] [run options] -- COMMAND [ARGS...] | FILE...\n"
    "       loopsim merge   A.json B.json ... [--json OUT] [--junit OUT]\n"
    "\n"
    "Runs a Node.js program on loopsim's simulated event loop. One seed is one interleaving:\n"
    "the same seed gives the same output, exit code and trace.\n"
    "\n"
    "run options (every command that runs the program takes them):\n"
    "  --node PATH           the node binary that runs the program (default: $LOOPSIM_NODE, else the\n"
    "                        node on PATH); Node 18 (Debian's), 20, 22, 24 and 26 are supported\n"
    "  --node-option OPT     one option of node's own, e.g. --node-option=--enable-source-maps or\n"
    "                        --node-option --conditions=dev (repeatable; kept in replay commands)\n"
    "  --env NAME=VALUE      set a variable in the program's environment (repeatable); the simulated\n"
    "                        machine's own are HOME, LANG, PATH, TMPDIR, TZ and USER\n"
    "  --env-file FILE       set the variables of FILE (the format of node's --env-file)\n"
    "  --pass-env NAME       copy one variable from loopsim's own environment (repeatable);\n"
    "                        replay commands carry every value as --env\n"
    "  --seed N              the seed (default 0)\n"
    "  --schedule FILE       replay a decision log (as written by --record or shrink); its seed is used\n"
    "  --strategy random|pct how the seed draws decisions: a random walk (default) or PCT-style: the\n"
    "                        plain schedule with --pct-depth deviations among the first --pct-horizon\n"
    "                        decisions (defaults 3 and 64)\n"
    "  --max-virtual-ms MS   stop as a hang after this much virtual time (default one week)\n"
    "  --max-iterations N    stop as a hang after this many loop iterations (default 50 million)\n"
    "  --max-memory-mb MB    the JavaScript heap's limit (node's --max-old-space-size; default V8's\n"
    "                        own); past it the program dies with \"heap out of memory\" (a crash)\n"
    "  --backend NAME        I/O personality: epoll, kqueue or iocp\n"
    "  --faults PROFILE      fault profile: none, light, heavy or a file (fakeos/faults.h)\n"
    "  --record FILE         write the run record: the decision log, how the run ended, the trace hash\n"
    "  --trace FILE          write the run's trace, one JSON event per line\n"
    "  --check               check the run against the event-loop invariants (README, \"Invariants\");\n"
    "                        a violation is printed and the exit code is 65 (explore: a failure)\n"
    "  --preload FILE        require FILE before the program (as node --require)\n"
    "  --report-tests        let loopsim's test reporters tell the run record each test's result (what\n"
    "                        loopsim test passes; kept in its replay commands)\n"
    "  --root DIR            the project's root, visible to the program read-only (default: the nearest\n"
    "                        folder above the working directory, and above the script, with a\n"
    "                        package.json or .git)\n"
    "  --stdin FILE          the program's stdin reads FILE (as node SCRIPT < FILE); without it, a pipe\n"
    "                        or file on loopsim's own stdin is read once and every seed reads the same\n"
    "                        bytes (explore and shrink save them as ./loopsim-stdin-HASH and pass that)\n"
    "  --allow-addons        let the program load native addons (.node files); their code runs on the\n"
    "                        host, outside the simulation (without it, loading one throws an Error)\n"
    "  --force-schedule      (run, replay, shrink) use a --schedule FILE recorded for another script, or\n"
    "                        whose decisions no longer fit the run (they take the plain choice there)\n"
    "\n"
    "explore: runs the program under many seeds, each in its own process, and reports every distinct\n"
    "failure (kind, first seed, count, the command that replays it). Exit 0: no seed failed; 1: some\n"
    "did; 2: usage or infrastructure error (or every problem found was a feature loopsim lacks).\n"
    "  --seeds N             how many seeds (default 100; for exhaustive: the budget of runs)\n"
    "  --seed-start S        the first seed (default 0)\n"
    "  --jobs J              seeds run in parallel (default: one per core)\n"
    "  --shard K/N           run only shard K of N: the seeds S+i with i % N == K-1; the shards' --json\n"
    "                        files merge (loopsim merge) into what one run gives\n"
    "  --backend all         run every seed on each simulated backend (epoll, kqueue, iocp)\n"
    "  --strategy exhaustive enumerate the decision tree, schedules with fewer deviations from the plain\n"
    "                        schedule first; --max-deviations B bounds it; says when it covered all\n"
    "  --timeout-ms MS       wall-clock budget per seed (default 30000); past it the seed is killed\n"
    "  --check-determinism   re-run failing seeds and every 10th passing one; any difference in trace,\n"
    "                        stdout or exit is a failure of kind nondeterminism\n"
    "  --max-failures K      stop after K failing seeds\n"
    "  --group-by HOW        shape (default): one group per kind, place and message with its varying\n"
    "                        parts (numbers, ids, quoted values, ...) masked; message: per exact message;\n"
    "                        kind: per kind\n"
    "  --json FILE / --junit FILE   write a JSON summary / JUnit XML report\n"
    "\n"
    "test: runs a project's tests under explore and reports per test: each failing test's full name,\n"
    "message, the seeds it failed on and a command that replays it, and a table of flaky tests.\n"
    "COMMAND is a test runner of node_modules/.bin (mocha, jest; `npx NAME` too) or `node FILE`; FILE...\n"
    "are node:test files, each swept in turn. jest runs in band (--runInBand).\n"
    "\n"
    "shrink: minimises a failing seed's decision log to a schedule that fails the same way with the\n"
    "fewest non-plain decisions, writes it (-o, default loopsim-shrunk.json) for replay --schedule, and\n"
    "tells the minimised timeline in words. --max-runs N bounds its work (default 400).\n";

namespace {

bool ParseUint(const std::string& text, uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == ' ') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || end == nullptr || *end != '\0') return false;
  *out = v;
  return true;
}

// Walks the options before the script. Each command registers its options; flags shared by every
// command that runs the program are registered once (AddRunFlags).
class OptionParser {
 public:
  using Handler = std::function<bool(const std::string& value)>;

  OptionParser(const std::vector<std::string>& argv, std::string* error) : argv_(argv), error_(error) {}

  void Flag(const std::string& name, std::function<void()> fn) { flags_[name] = std::move(fn); }
  void Value(const std::string& name, Handler fn) { values_[name] = std::move(fn); }
  void Number(const std::string& name, uint64_t* out, uint64_t min = 0) {
    Value(name, [this, name, out, min](const std::string& v) {
      if (!ParseUint(v, out) || *out < min) {
        *error_ = name + " takes a whole number" + (min > 0 ? " of at least " + std::to_string(min) : "") +
                  ", not '" + v + "'";
        return false;
      }
      return true;
    });
  }
  void String(const std::string& name, std::string* out) {
    Value(name, [out](const std::string& v) {
      *out = v;
      return true;
    });
  }

  // Parses options from argv[start]; returns the index of the first word that is not an option (the
  // script), or argv.size(). On error returns nullopt with *error set.
  std::optional<size_t> Parse(size_t start) {
    size_t i = start;
    for (; i < argv_.size(); ++i) {
      const std::string& a = argv_[i];
      if (a == "--") return i + 1;
      if (a.size() < 2 || a[0] != '-') break;
      if (a == "--help" || a == "-h") {
        help_ = true;
        return i + 1;
      }
      if (auto f = flags_.find(a); f != flags_.end()) {
        f->second();
        continue;
      }
      // --name=value is --name value.
      if (const size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
        auto v = values_.find(a.substr(0, eq));
        if (v == values_.end()) {
          *error_ = "unknown option '" + a.substr(0, eq) + "'";
          return std::nullopt;
        }
        if (!v->second(a.substr(eq + 1))) return std::nullopt;
        continue;
      }
      auto v = values_.find(a);
      if (v == values_.end()) {
        *error_ = "unknown option '" + a + "'";
        return std::nullopt;
      }
      if (i + 1 >= argv_.size()) {
        *error_ = "option " + a + " needs a value";
        return std::nullopt;
      }
      if (!v->second(argv_[++i])) return std::nullopt;
    }
    return i;
  }

 private:
  const std::vector<std::string>& argv_;
  std::string* error_;
  std::map<std::string, std::function<void()>> flags_;
  std::map<std::string, Handler> values_;

 public:
  bool help_ = false;  // --help among the options: print the usage instead
};

void AddRunFlags(OptionParser& p, RunFlags* flags, std::string* error, bool allow_all_backends,
                 bool allow_exhaustive) {
  p.String("--node", &flags->node);
  p.String("--preload", &flags->preload);
  p.String("--root", &flags->root);
  p.Flag("--report-tests", [flags] { flags->report_tests = true; });
  p.Value("--stdin", [=](const std::string& v) {
    if (access(v.c_str(), R_OK) != 0) {
      *error = "--stdin: cannot read " + v;
      return false;
    }
    flags->stdin_path = v;
    return true;
  });
  p.Flag("--allow-addons", [=] { flags->allow_addons = true; });
  p.Value("--node-option", [=](const std::string& v) {
    if (v.empty() || v[0] != '-') {
      *error = "--node-option takes one of node's own options (starting with -), not '" + v + "'";
      return false;
    }
    flags->node_options.push_back(v);
    return true;
  });
  // A variable set twice keeps its last value, in the place of its first.
  auto set_env = [flags](const std::string& name, const std::string& value) {
    for (auto& [n, v] : flags->env) {
      if (n == name) {
        v = value;
        return;
      }
    }
    flags->env.emplace_back(name, value);
  };
  p.Value("--env", [=](const std::string& v) {
    const size_t eq = v.find('=');
    if (eq == std::string::npos || !IsEnvName(v.substr(0, eq))) {
      *error = "--env takes NAME=VALUE, not '" + v + "'";
      return false;
    }
    set_env(v.substr(0, eq), v.substr(eq + 1));
    return true;
  });
  p.Value("--env-file", [=](const std::string& v) {
    std::ifstream in(v, std::ios::binary);
    if (!in) {
      *error = "--env-file: cannot read " + v;
      return false;
    }
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<EnvList> vars = ParseEnvFile(text.str(), v);
    if (!vars.ok()) {
      *error = "--env-file: " + std::string(vars.status().message());
      return false;
    }
    for (const auto& [name, value] : *vars) set_env(name, value);
    return true;
  });
  p.Value("--pass-env", [=](const std::string& v) {
    if (!IsEnvName(v)) {
      *error = "--pass-env takes a variable's name, not '" + v + "'";
      return false;
    }
    // The user asked for this one variable of the shell's; a variable the shell lacks stays unset.
    if (const char* value = std::getenv(v.c_str())) set_env(v, value);  // lint: allow-host-env (--pass-env)
    return true;
  });
  p.Value("--backend", [=](const std::string& v) {
    std::string names;
    for (const std::string& b : SimulatedBackends()) {
      if (v == b) {
        flags->backend = v;
        return true;
      }
      names += (names.empty() ? "" : ", ") + b;
    }
    if (allow_all_backends && v == "all") {
      flags->backend = v;
      return true;
    }
    *error = "--backend " + v + " is not simulated yet (use " + names + (allow_all_backends ? " or all)" : ")");
    return false;
  });
  p.Flag("--check", [=] { flags->check = true; });
  p.Value("--faults", [=](const std::string& v) {
    // A profile name, or a readable profile file (parsed when the run starts, see fakeos/faults.h).
    if (v != "none" && v != "light" && v != "heavy" && access(v.c_str(), R_OK) != 0) {
      *error = "--faults " + v + " is neither none, light, heavy nor a readable profile file";
      return false;
    }
    flags->faults = v;
    return true;
  });
  p.Value("--strategy", [=](const std::string& v) {
    if (v == "random" || v == "pct" || (allow_exhaustive && v == "exhaustive")) {
      flags->strategy = v;
      return true;
    }
    *error = "--strategy takes random" + std::string(allow_exhaustive ? ", pct or exhaustive" : " or pct") +
             ", not '" + v + "'";
    return false;
  });
  p.Value("--pct-depth", [=](const std::string& v) {
    uint64_t d = 0;
    if (!ParseUint(v, &d) || d > 1000) {
      *error = "--pct-depth takes a whole number from 0 to 1000, not '" + v + "'";
      return false;
    }
    flags->pct_depth = static_cast<uint32_t>(d);
    return true;
  });
  p.Number("--pct-horizon", &flags->pct_horizon, 1);
  p.Number("--max-virtual-ms", &flags->max_virtual_ms, 1);
  p.Number("--max-iterations", &flags->max_iterations, 1);
  p.Number("--max-memory-mb", &flags->max_memory_mb, 1);
}

bool ParseShard(const std::string& v, uint32_t* k, uint32_t* n) {
  const size_t slash = v.find('/');
  if (slash == std::string::npos) return false;
  uint64_t a = 0, b = 0;
  if (!ParseUint(v.substr(0, slash), &a) || !ParseUint(v.substr(slash + 1), &b)) return false;
  if (b < 1 || a < 1 || a > b || b > 1'000'000) return false;
  *k = static_cast<uint32_t>(a);
  *n = static_cast<uint32_t>(b);
  return true;
}

bool TakeScript(const std::vector<std::string>& argv, size_t i, std::string* script,
                std::vector<std::string>* args, std::string* error) {
  if (i >= argv.size()) {
    *error = "missing SCRIPT";
    return false;
  }
  *script = argv[i++];
  args->assign(argv.begin() + static_cast<ptrdiff_t>(i), argv.end());
  return true;
}

// --seed N: a whole number; remembers that it was given (it excludes --schedule).
void AddSeedOption(OptionParser& p, uint64_t* seed, bool* given, std::string* error) {
  p.Value("--seed", [=](const std::string& v) {
    if (!ParseUint(v, seed)) {
      *error = "--seed takes a whole number from 0 to 2^64-1, not '" + v + "'";
      return false;
    }
    *given = true;
    return true;
  });
}

void ParseRun(const std::vector<std::string>& argv, ParseResult& result) {
  RunCommand run;
  OptionParser p(argv, &result.error);
  AddSeedOption(p, &run.seed, &run.seed_given, &result.error);
  p.String("--schedule", &run.schedule_path);
  p.Flag("--force-schedule", [&] { run.force_schedule = true; });
  p.String("--record", &run.record_path);
  p.String("--trace", &run.trace_path);
  p.Value("--trace-format", [&](const std::string& v) {
    if (v != "jsonl" && v != "chrome") {
      result.error = "--trace-format is jsonl or chrome, not '" + v + "'";
      return false;
    }
    run.trace_format = v;
    return true;
  });
  AddRunFlags(p, &run.flags, &result.error, false, false);
  p.Value("--test-segv-on-seed", [&](const std::string& v) {
    uint64_t s = 0;
    if (!ParseUint(v, &s)) {
      result.error = "--test-segv-on-seed takes a seed, not '" + v + "'";
      return false;
    }
    run.test_segv_seed = s;
    return true;
  });
  p.String("--test-nondeterministic", &run.test_nondeterministic_counter);
  p.Value("--test-mutation", [&](const std::string& v) {
    run.test_mutations.push_back(v);
    return true;
  });
  std::optional<size_t> i = p.Parse(2);
  if (!i) return;
  if (p.help_) {
    result.help = true;
    return;
  }
  if (run.seed_given && !run.schedule_path.empty()) {
    result.error = "--seed and --schedule exclude each other (a schedule carries its seed)";
    return;
  }
  if (result.command == "replay" && !run.seed_given && run.schedule_path.empty()) {
    result.error = "replay needs --seed N or --schedule FILE";
    return;
  }
  if (!TakeScript(argv, *i, &run.script, &run.args, &result.error)) return;
  result.run = std::move(run);
}

void ParseExplore(const std::vector<std::string>& argv, ParseResult& result) {
  ExploreCommand e;
  OptionParser p(argv, &result.error);
  p.Number("--seeds", &e.seeds, 1);
  p.Number("--seed-start", &e.seed_start);
  p.Value("--jobs", [&](const std::string& v) {
    uint64_t j = 0;
    if (!ParseUint(v, &j) || j < 1 || j > 1024) {
      result.error = "--jobs takes a whole number from 1 to 1024, not '" + v + "'";
      return false;
    }
    e.jobs = static_cast<uint32_t>(j);
    return true;
  });
  p.Value("--shard", [&](const std::string& v) {
    if (!ParseShard(v, &e.shard_index, &e.shard_count)) {
      result.error = "--shard takes K/N with 1 <= K <= N, not '" + v + "'";
      return false;
    }
    return true;
  });
  AddRunFlags(p, &e.flags, &result.error, true, true);
  p.Value("--pct-horizon", [&](const std::string& v) {
    if (!ParseUint(v, &e.flags.pct_horizon) || e.flags.pct_horizon < 1) {
      result.error = "--pct-horizon takes a whole number of at least 1, not '" + v + "'";
      return false;
    }
    e.pct_horizon_given = true;
    return true;
  });
  p.Value("--max-deviations", [&](const std::string& v) {
    uint64_t b = 0;
    if (!ParseUint(v, &b)) {
      result.error = "--max-deviations takes a whole number, not '" + v + "'";
      return false;
    }
    e.max_deviations = b;
    return true;
  });
  p.String("--json", &e.json_path);
  p.String("--junit", &e.junit_path);
  p.String("--schedules-dir", &e.schedules_dir);
  p.Number("--max-failures", &e.max_failures, 1);
  p.Value("--group-by", [&](const std::string& v) {
    if (v != "shape" && v != "message" && v != "kind") {
      result.error = "--group-by takes shape, message or kind, not '" + v + "'";
      return false;
    }
    e.group_by = v;
    return true;
  });
  p.Number("--timeout-ms", &e.timeout_ms, 1);
  p.Flag("--check-determinism", [&] { e.check_determinism = true; });
  p.Number("--determinism-sample", &e.determinism_sample, 1);
  p.Value("--test-run-arg", [&](const std::string& v) {
    e.test_run_args.push_back(v);
    return true;
  });
  std::optional<size_t> i = p.Parse(2);
  if (!i) return;
  if (p.help_) {
    result.help = true;
    return;
  }
  e.strategy = e.flags.strategy;
  e.backend = e.flags.backend;
  if (e.strategy == "exhaustive") e.flags.strategy = "random";
  if (argv[1] == "test") {
    e.test_words.assign(argv.begin() + static_cast<std::ptrdiff_t>(*i), argv.end());
    if (e.test_words.empty()) {
      result.error = "test needs a test runner's command after -- (e.g. -- npx mocha) or test files";
      return;
    }
  } else if (!TakeScript(argv, *i, &e.script, &e.args, &result.error)) {
    return;
  }
  result.explore = std::move(e);
}

void ParseShrink(const std::vector<std::string>& argv, ParseResult& result) {
  ShrinkCommand s;
  OptionParser p(argv, &result.error);
  AddSeedOption(p, &s.seed, &s.seed_given, &result.error);
  p.String("--schedule", &s.schedule_path);
  p.Flag("--force-schedule", [&] { s.force_schedule = true; });
  p.String("-o", &s.output_path);
  p.String("--output", &s.output_path);
  AddRunFlags(p, &s.flags, &result.error, false, false);
  p.Value("--jobs", [&](const std::string& v) {
    uint64_t j = 0;
    if (!ParseUint(v, &j) || j < 1 || j > 1024) {
      result.error = "--jobs takes a whole number from 1 to 1024, not '" + v + "'";
      return false;
    }
    s.jobs = static_cast<uint32_t>(j);
    return true;
  });
  p.Number("--timeout-ms", &s.timeout_ms, 1);
  p.Number("--max-runs", &s.max_runs, 1);
  p.Value("--test-run-arg", [&](const std::string& v) {
    s.test_run_args.push_back(v);
    return true;
  });
  std::optional<size_t> i = p.Parse(2);
  if (!i) return;
  if (p.help_) {
    result.help = true;
    return;
  }
  if (s.seed_given == !s.schedule_path.empty()) {
    result.error = "shrink needs one of --seed N or --schedule FILE";
    return;
  }
  if (!TakeScript(argv, *i, &s.script, &s.args, &result.error)) return;
  result.shrink = std::move(s);
}

void ParseMerge(const std::vector<std::string>& argv, ParseResult& result) {
  MergeCommand m;
  for (size_t i = 2; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--json" || a == "--junit") {
      if (i + 1 >= argv.size()) {
        result.error = "option " + a + " needs a value";
        return;
      }
      (a == "--json" ? m.json_path : m.junit_path) = argv[++i];
    } else if (a == "--help" || a == "-h") {
      result.help = true;
      return;
    } else if (a.size() > 1 && a[0] == '-') {
      result.error = "unknown option '" + a + "'";
      return;
    } else {
      m.inputs.push_back(a);
    }
  }
  if (m.inputs.empty()) {
    result.error = "merge needs at least one JSON summary written by explore --json";
    return;
  }
  result.merge = std::move(m);
}

}  // namespace

std::vector<std::string> SimulatedBackends() { return {uv::kBackendNames.begin(), uv::kBackendNames.end()}; }

std::vector<std::string> RunFlags::ToArgs() const {
  std::vector<std::string> out;
  const RunFlags plain;
  if (!node.empty()) out.insert(out.end(), {"--node", node});
  for (const std::string& option : node_options) out.push_back("--node-option=" + option);
  for (const auto& [name, value] : env) out.push_back("--env=" + name + "=" + value);
  if (!preload.empty()) out.insert(out.end(), {"--preload", preload});
  if (!root.empty()) out.insert(out.end(), {"--root", root});
  if (!stdin_path.empty()) out.insert(out.end(), {"--stdin", stdin_path});
  if (allow_addons) out.push_back("--allow-addons");
  if (backend != plain.backend) out.insert(out.end(), {"--backend", backend});
  if (faults != plain.faults) out.insert(out.end(), {"--faults", faults});
  if (strategy == "pct") {
    out.insert(out.end(), {"--strategy", "pct", "--pct-depth", std::to_string(pct_depth), "--pct-horizon",
                           std::to_string(pct_horizon)});
  }
  if (max_virtual_ms != 0) out.insert(out.end(), {"--max-virtual-ms", std::to_string(max_virtual_ms)});
  if (max_iterations != 0) out.insert(out.end(), {"--max-iterations", std::to_string(max_iterations)});
  if (max_memory_mb != 0) out.insert(out.end(), {"--max-memory-mb", std::to_string(max_memory_mb)});
  if (check) out.push_back("--check");
  if (report_tests) out.push_back("--report-tests");
  return out;
}

std::string ShellWord(const std::string& word) {
  if (word.empty()) return "''";
  bool plain = true;
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '.' || c == '_' || c == '-' || c == '=' || c == ':' || c == ',' ||
                    c == '+' || c == '@';
    if (!ok) plain = false;
  }
  if (plain) return word;
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ShellLine(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += ShellWord(w);
  }
  return out;
}

ParseResult ParseCommandLine(const std::vector<std::string>& argv) {
  ParseResult result;
  if (argv.size() < 2) {
    result.error = "missing command";
    return result;
  }
  const std::string& command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    result.help = true;
    return result;
  }
  if (command == "--version") {
    result.version = true;
    return result;
  }
  result.command = command;
  if (command == "run" || command == "replay") {
    ParseRun(argv, result);
  } else if (command == "explore" || command == "test") {
    ParseExplore(argv, result);
  } else if (command == "shrink") {
    ParseShrink(argv, result);
  } else if (command == "merge") {
    ParseMerge(argv, result);
  } else {
    result.error = "unknown command '" + command + "'";
  }
  return result;
}

}  // namespace loopsim::sim
