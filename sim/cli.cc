// See cli.h. Each command's options are one table built on CLI11: an option is registered once, with its
// value's name, its help and the check of its value, and that registration both parses the command line
// and prints the command's --help, so the two cannot disagree. Values are checked as they are read, in
// command-line order (CLI11's trigger_on_parse): the first bad value is the error, a repeated option's
// last value wins, and --env, --env-file and --pass-env apply in the order given.
//
// An option is one line of its command's Add* function (the run options, shared by every command that
// runs the program, are AddRunOptions); a command is one row of kCommands. The program's words are the
// words CLI11 leaves: a command is a prefix command, so the first word that is not an option (the
// script) and all after it are left unparsed. CLI11 reports errors by exception; ParseCommandLine
// catches them and none leaves it.
#include "sim/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>

#include "fakeos/host.h"
#include "fakeos/net_address.h"
#include "sim/env_file.h"
#include "sim/host_files.h"

#include "runtime/uv/backend_names.h"

namespace loopsim::sim {
namespace {

// A command's help: what follows its options in its usage line, the line the overview gives it, and the
// paragraph its own help opens with. Each stands above the function that registers the command's
// options, which its help lists after the paragraph.
struct CommandHelp {
  const char* operands;
  const char* summary;
  const char* about;
};

// What one command is: its name, its help, and its table (kCommands, after the tables).
struct CommandSpec;
const CommandSpec* FindCommand(const std::string& name);
std::string Operands(const std::string& command);
std::string Summary(const std::string& command);

constexpr size_t kHelpWidth = 100;
constexpr size_t kNameColumn = 26;

// Breaks text into lines of at most `width` characters at spaces (a longer word gets a line of its own).
std::string Wrap(const std::string& text, size_t width) {
  std::string out, line, word;
  std::istringstream words(text);
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

// CLI11's help layout in loopsim's words: "usage: loopsim CMD [options] OPERANDS", the command's summary,
// then each group of options with its value's name, its help and its default, wrapped to kHelpWidth.
class HelpFormatter final : public CLI::Formatter {
 public:
  HelpFormatter() { column_width(kNameColumn); }

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    std::string out = make_usage(app, name) + "\n";
    if (!app->get_description().empty()) out += Wrap(app->get_description(), kHelpWidth) + "\n";
    out += make_groups(app, mode);
    out += make_subcommands(app, mode);
    if (!app->get_footer().empty()) out += "\n" + Wrap(app->get_footer(), kHelpWidth) + "\n";
    // CLI11 puts a blank line both after a group and before the next one's heading: keep one.
    for (size_t blank; (blank = out.find("\n\n\n")) != std::string::npos;) out.erase(blank, 1);
    return out;
  }

  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_parent() == nullptr) return "usage: " + name + " COMMAND [options] ...\n";
    return "usage: " + name + " [options] " + Operands(app->get_name()) + "\n";
  }

  std::string make_option_opts(const CLI::Option* opt) const override {
    return opt->get_type_size() != 0 && !opt->get_type_name().empty() ? " " + opt->get_type_name() : "";
  }

  std::string make_option_desc(const CLI::Option* opt) const override {
    std::string text = opt->get_description();
    if (!opt->get_default_str().empty()) text += " (default: " + opt->get_default_str() + ")";
    return Wrap(text, kHelpWidth - kNameColumn);
  }

  std::string make_subcommand(const CLI::App* sub) const override {
    std::ostringstream out;
    CLI::detail::format_help(out, sub->get_name(), Wrap(Summary(sub->get_name()), kHelpWidth - kNameColumn),
                             column_width_);
    return out.str();
  }
};

bool ParseUint(const std::string& text, uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == ' ') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || end == nullptr || *end != '\0') return false;
  *out = v;
  return true;
}

// "a, b or c".
std::string OneOf(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  return out;
}

// The option table of one command, or of one group of its options (the group names a heading of its
// help; the group "" is hidden from help). Each registration is one option: its names ("--output" or
// "-o,--output"), its value's name, its help, and where its value goes after it has been checked. An
// option's default, in help, is the value its field holds when it is registered, unless the option says
// otherwise (->default_str) because the field's value means "decided elsewhere".
class Table {
 public:
  // Checks and stores one value; returns "" or the one-line error.
  using Take = std::function<std::string(const std::string& value)>;

  Table(CLI::App* app, std::string group) : app_(app), group_(std::move(group)) {}

  Table Group(const std::string& group) const { return Table(app_, group); }

  CLI::Option* Value(const std::string& names, const std::string& value_name, const std::string& help, Take take) {
    CLI::Option* opt = app_->add_option_function<std::string>(
        names,
        [take = std::move(take)](const std::string& v) {
          if (std::string error = take(v); !error.empty()) throw CLI::ValidationError(error);
        },
        help);
    return opt->type_name(value_name)->trigger_on_parse()->group(group_);
  }

  CLI::Option* Text(const std::string& names, const std::string& value_name, std::string* out,
                    const std::string& help) {
    return Value(names, value_name, help,
                 [out](const std::string& v) {
                   *out = v;
                   return std::string();
                 })
        ->default_str(*out);
  }

  // A whole number from `min` to `max`, into an unsigned field of any width.
  template <typename T>
  CLI::Option* Number(const std::string& names, const std::string& value_name, T* out, const std::string& help,
                      uint64_t min = 0, uint64_t max = std::numeric_limits<T>::max()) {
    const std::string name = LongName(names);
    return Value(names, value_name, help,
                 [=](const std::string& v) {
                   uint64_t n = 0;
                   if (ParseUint(v, &n) && n >= min && n <= max) {
                     *out = static_cast<T>(n);
                     return std::string();
                   }
                   const std::string range =
                       max == std::numeric_limits<uint64_t>::max()
                           ? (min == 0 ? "from 0 to 2^64-1" : "of at least " + std::to_string(min))
                           : "from " + std::to_string(min) + " to " + std::to_string(max);
                   return name + " takes a whole number " + range + ", not '" + v + "'";
                 })
        ->default_str(std::to_string(*out));
  }

  // One of `choices`; the value's name in help lists them.
  CLI::Option* Choice(const std::string& names, std::string* out, std::vector<std::string> choices,
                      const std::string& help) {
    const std::string name = LongName(names);
    std::string value_name;
    for (const std::string& c : choices) value_name += (value_name.empty() ? "" : "|") + c;
    return Value(names, value_name, help,
                 [=](const std::string& v) {
                   for (const std::string& c : choices) {
                     if (v == c) {
                       *out = v;
                       return std::string();
                     }
                   }
                   return name + " takes " + OneOf(choices) + ", not '" + v + "'";
                 })
        ->default_str(*out);
  }

  CLI::Option* Flag(const std::string& names, bool* out, const std::string& help) {
    auto set = [out](int64_t) { *out = true; };
    return app_->add_flag_function(names, set, help)->trigger_on_parse()->group(group_);
  }

 private:
  static std::string LongName(const std::string& names) {
    const size_t comma = names.rfind(',');
    return comma == std::string::npos ? names : names.substr(comma + 1);
  }

  CLI::App* app_;
  std::string group_;
};

// Where the run options are registered: explore takes more values than a single run does.
struct RunOptionsScope {
  bool explore = false;
};

// Which node runs the program, and node's own options.
void AddNodeOptions(Table t, RunFlags* flags) {
  t.Text("--node", "PATH", &flags->node,
         "the node binary that runs the program; Node 18 (Debian's), 20, 22, 24 and 26 are supported")
      ->default_str("$LOOPSIM_NODE, else the node on PATH");
  t.Value("--node-option", "OPT",
          "one option of node's own, e.g. --node-option=--enable-source-maps or --node-option --conditions=dev "
          "(repeatable; kept in replay commands)",
          [flags](const std::string& v) {
            if (v.empty() || v[0] != '-') {
              return "--node-option takes one of node's own options (starting with -), not '" + v + "'";
            }
            flags->node_options.push_back(v);
            return std::string();
          });
}

// The program's environment: --env, --env-file and --pass-env, in the order given.
void AddEnvironmentOptions(Table t, RunFlags* flags) {
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
  t.Value("--env", "NAME=VALUE",
          "set a variable in the program's environment (repeatable); the simulated machine's own are HOME, "
          "LANG, PATH, TMPDIR, TZ and USER",
          [set_env](const std::string& v) {
            const size_t eq = v.find('=');
            if (eq == std::string::npos || !IsEnvName(v.substr(0, eq))) {
              return "--env takes NAME=VALUE, not '" + v + "'";
            }
            set_env(v.substr(0, eq), v.substr(eq + 1));
            return std::string();
          });
  t.Value("--env-file", "FILE", "set the variables of FILE (the format of node's --env-file; repeatable)",
          [set_env](const std::string& v) {
            absl::StatusOr<std::string> text = ReadFile(v);
            if (!text.ok()) return "--env-file: cannot read " + v;
            absl::StatusOr<EnvList> vars = ParseEnvFile(*text, v);
            if (!vars.ok()) return "--env-file: " + std::string(vars.status().message());
            for (const auto& [name, value] : *vars) set_env(name, value);
            return std::string();
          });
  t.Value("--pass-env", "NAME",
          "copy one variable from loopsim's own environment (repeatable); replay commands carry every value "
          "as --env",
          [set_env](const std::string& v) {
            if (!IsEnvName(v)) return "--pass-env takes a variable's name, not '" + v + "'";
            // The user asked for this one variable of the shell's; a variable the shell lacks stays unset.
            if (const char* value = std::getenv(v.c_str())) set_env(v, value);  // lint: allow-host-env (--pass-env)
            return std::string();
          });
}

// A name a host of the virtual network may have: letters, digits, '-' and '.', starting with a letter.
bool IsHostName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return name != "localhost";
}

// --host NAME=ADDR[,ADDR...]: "" or what is wrong with it. Every address must be a unicast address of
// no other host.
std::string AddHost(const std::string& v, RunFlags* flags) {
  const size_t eq = v.find('=');
  const std::string name = v.substr(0, eq);
  if (eq == std::string::npos || !IsHostName(name)) {
    return "--host takes NAME=ADDRESS[,ADDRESS...] with a name of letters, digits, - and . (not localhost), not '" +
           v + "'";
  }
  std::vector<std::string> addresses;
  std::stringstream list(v.substr(eq + 1));
  for (std::string a; std::getline(list, a, ',');) {
    IpAddr ip;
    if (!IpAddr::Parse(a, &ip) || ip.IsAny() || ip.IsLoopback()) {
      return "--host " + name + ": '" + a + "' is not an IPv4 or IPv6 address of a host (nor loopback, nor any)";
    }
    for (const auto& [other, taken] : flags->hosts) {
      if (other != name && std::find(taken.begin(), taken.end(), a) != taken.end()) {
        return "--host " + name + ": " + a + " is already " + other + "'s";
      }
    }
    addresses.push_back(a);
  }
  if (addresses.empty()) return "--host " + name + " needs at least one address";
  for (auto& [other, taken] : flags->hosts) {
    if (other == name) {
      taken = addresses;
      return "";
    }
  }
  if (flags->hosts.size() >= 63) return "--host: at most 63 hosts";
  flags->hosts.emplace_back(name, std::move(addresses));
  return "";
}

// The network's other hosts and the commands that stand in for programs the machine lacks.
void AddMachineOptions(Table t, RunFlags* flags) {
  t.Value("--host", "NAME=ADDR[,ADDR...]",
          "add a host to the virtual network, with its name (in DNS and its os.hostname()) and addresses "
          "(repeatable); a child process runs on the host its LOOPSIM_HOST variable names, else on its parent's. "
          "The program's own host is " + HostFacts().hostname + ", with loopback only unless --host " +
              HostFacts().hostname + "=ADDR gives it addresses",
          [flags](const std::string& v) { return AddHost(v, flags); });
  t.Value("--command", "NAME=SCRIPT",
          "a spawn of command NAME (which the simulated machine lacks: it fails with ENOENT) runs the node "
          "script SCRIPT with the spawn's arguments, as a simulated process (repeatable)",
          [flags](const std::string& v) {
            const size_t eq = v.find('=');
            const std::string name = v.substr(0, eq);
            if (eq == std::string::npos || name.empty() || name.find('/') != std::string::npos) {
              return "--command takes NAME=SCRIPT (a command's name, without /), not '" + v + "'";
            }
            const std::string script = RealPath(v.substr(eq + 1));
            if (script.empty() || access(script.c_str(), R_OK) != 0) {
              return "--command " + name + ": cannot read the script " + v.substr(eq + 1);
            }
            for (auto& [n, s] : flags->commands) {
              if (n == name) {
                s = script;
                return std::string();
              }
            }
            flags->commands.emplace_back(name, script);
            return std::string();
          });
}

// What the program sees of the host besides its environment: a preload, the project, stdin, addons.
void AddProgramOptions(Table t, RunFlags* flags) {
  t.Text("--preload", "FILE", &flags->preload, "require FILE before the program (as node --require)");
  t.Text("--root", "DIR", &flags->root, "the project's root, visible to the program read-only")
      ->default_str("the nearest folder above the working directory, and above the script, with a package.json "
                    "or .git");
  t.Flag("--report-tests", &flags->report_tests,
         "let loopsim's test reporters tell the run record each test's result (what loopsim test passes; kept "
         "in its replay commands)");
  t.Value("--stdin", "FILE",
          "the program's stdin reads FILE (as node SCRIPT < FILE); without it, a pipe or file on loopsim's own "
          "stdin is read once and every seed reads the same bytes (explore and shrink save them as "
          "./loopsim-stdin-HASH and pass that)",
          [flags](const std::string& v) {
            if (access(v.c_str(), R_OK) != 0) return "--stdin: cannot read " + v;
            flags->stdin_path = v;
            return std::string();
          });
  t.Flag("--allow-addons", &flags->allow_addons,
         "let the program load native addons (.node files); their code runs on the host, outside the simulation "
         "(without it, loading one throws an Error)");
}

// How the simulation decides: the backend, the faults and the strategy that draws the decisions.
void AddSimulationOptions(Table t, RunFlags* flags, RunOptionsScope scope) {
  std::vector<std::string> backends = SimulatedBackends();
  if (scope.explore) backends.push_back("all");
  std::string backend_names;
  for (const std::string& b : backends) backend_names += (backend_names.empty() ? "" : "|") + b;
  t.Value(
       "--backend", backend_names,
       std::string("the I/O personality of the simulated libuv") + (scope.explore ? "; all: every seed on each" : ""),
       [flags, backends](const std::string& v) {
         for (const std::string& b : backends) {
           if (v == b) {
             flags->backend = v;
             return std::string();
           }
         }
         return "--backend " + v + " is not simulated (use " + OneOf(backends) + ")";
       })
      ->default_str(flags->backend);
  t.Value("--faults", "PROFILE", "the fault profile: none, light, heavy or a profile file (fakeos/faults.h)",
          [flags](const std::string& v) {
            // A profile name, or a readable profile file (parsed when the run starts, see fakeos/faults.h).
            if (v != "none" && v != "light" && v != "heavy" && access(v.c_str(), R_OK) != 0) {
              return "--faults " + v + " is neither none, light, heavy nor a readable profile file";
            }
            flags->faults = v;
            return std::string();
          })
      ->default_str(flags->faults);
  if (scope.explore) {
    t.Choice("--strategy", &flags->strategy, {"random", "pct", "exhaustive"},
             "how each seed draws its decisions: a random walk; PCT-style: the plain schedule with --pct-depth "
             "deviations among the first --pct-horizon decisions; exhaustive: every schedule, those with fewer "
             "deviations from the plain one first, up to --seeds runs (says when it covered them all)");
  } else {
    t.Choice("--strategy", &flags->strategy, {"random", "pct"},
             "how the seed draws its decisions: a random walk, or PCT-style: the plain schedule with "
             "--pct-depth deviations among the first --pct-horizon decisions");
  }
  t.Number("--pct-depth", "N", &flags->pct_depth, "with --strategy pct: how many decisions deviate", 0, 1000);
  CLI::Option* horizon = t.Number("--pct-horizon", "N", &flags->pct_horizon,
                                  "with --strategy pct: the deviations fall among the first N decisions", 1);
  if (scope.explore) horizon->default_str("the plain schedule's length");
}

// The run's budgets, and --check.
void AddBudgetOptions(Table t, RunFlags* flags) {
  t.Number("--max-virtual-ms", "MS", &flags->max_virtual_ms, "stop as a hang after this much virtual time", 1)
      ->default_str("one week");
  t.Number("--max-iterations", "N", &flags->max_iterations, "stop as a hang after this many loop iterations", 1)
      ->default_str("50 million");
  t.Number("--max-memory-mb", "MB", &flags->max_memory_mb,
           "the JavaScript heap's limit (node's --max-old-space-size); past it the program dies with \"heap out "
           "of memory\" (a crash)",
           1)
      ->default_str("V8's own");
  t.Flag("--check", &flags->check,
         "check the run against the event-loop invariants (README, \"Invariants\"); a violation is printed and "
         "the exit code is 65 (explore: a failure)");
}

// The options that decide how a single seed runs: every command that runs the program takes them, and
// RunFlags::ToArgs prints them back.
void AddRunOptions(Table t, RunFlags* flags, RunOptionsScope scope) {
  AddNodeOptions(t, flags);
  AddEnvironmentOptions(t, flags);
  AddProgramOptions(t, flags);
  AddMachineOptions(t, flags);
  AddSimulationOptions(t, flags, scope);
  AddBudgetOptions(t, flags);
}

constexpr char kRunOptions[] = "Run options (every command that runs the program takes them)";

// --seed and --schedule: what a run, replay or shrink repeats. Only run has a default seed; replay and
// shrink need one of the two.
void AddSeedOptions(Table t, uint64_t* seed, bool* seed_given, std::string* schedule, bool seed_has_default,
                    const std::string& seed_help, const std::string& schedule_help) {
  CLI::Option* seed_option = t.Value("--seed", "N", seed_help, [seed, seed_given](const std::string& v) {
    if (!ParseUint(v, seed)) return "--seed takes a whole number from 0 to 2^64-1, not '" + v + "'";
    *seed_given = true;
    return std::string();
  });
  if (seed_has_default) seed_option->default_str(std::to_string(*seed));
  t.Text("--schedule", "FILE", schedule, schedule_help);
}

constexpr CommandHelp kRunHelp = {
    "SCRIPT [ARGS...]", "run the program under one seed (default 0) or a recorded schedule",
    "Runs a Node.js program on loopsim's simulated event loop under one seed: the same seed gives the same output, "
    "exit code and trace. Stdout, stderr and the exit code are the program's own; loopsim's usage errors exit with "
    "2, a hang with 124."};
constexpr CommandHelp kReplayHelp = {
    "SCRIPT [ARGS...]", "run a seed or a schedule again: the same output, exit code and trace",
    "`run` with the seed (--seed N) or the decision log (--schedule FILE) of the run it repeats, as explore and "
    "shrink print it."};

// run and replay.
void AddRun(CLI::App* app, RunCommand* run) {
  Table t(app, "Options");
  const bool replay = app->get_name() == "replay";
  AddSeedOptions(t, &run->seed, &run->seed_given, &run->schedule_path, !replay,
                 replay ? "the seed to run again" : "the seed",
                 "replay a decision log (as --record or shrink write it) instead of drawing from a seed; its "
                 "seed is used");
  t.Text("--record", "FILE", &run->record_path,
         "write the run record: the decision log, how the run ended, the trace hash");
  t.Text("--trace", "FILE", &run->trace_path, "write the run's trace, one JSON event per line");
  t.Choice("--trace-format", &run->trace_format, {"jsonl", "chrome"},
           "the trace's format: JSON lines, or Chrome's Trace Event Format (Perfetto, chrome://tracing)");
  t.Flag("--force-schedule", &run->force_schedule,
         "use a --schedule FILE recorded for another script, or whose decisions no longer fit the run (they "
         "take the plain choice there)");
  AddRunOptions(t.Group(kRunOptions), &run->flags, {});
  Table hidden = t.Group("");
  hidden.Value("--test-mutation", "NAME", "", [run](const std::string& v) {
    run->test_mutations.push_back(v);
    return std::string();
  });
  hidden.Value("--test-segv-on-seed", "SEED", "", [run](const std::string& v) {
    uint64_t s = 0;
    if (!ParseUint(v, &s)) return "--test-segv-on-seed takes a seed, not '" + v + "'";
    run->test_segv_seed = s;
    return std::string();
  });
  hidden.Text("--test-nondeterministic", "FILE", &run->test_nondeterministic_counter, "");
}

constexpr CommandHelp kExploreHelp = {
    "SCRIPT [ARGS...]", "run the program under many seeds and report each distinct failure",
    "Runs the program under many seeds, each in its own process, and reports every distinct failure (kind, first "
    "seed, count, the command that replays it). Exit 0: no seed failed; 1: some did; 2: usage or infrastructure "
    "error (or every problem found was a feature loopsim lacks)."};
constexpr CommandHelp kTestHelp = {
    "-- COMMAND [ARGS...] | FILE...", "run a project's tests under many seeds and report per test",
    "Runs a project's tests under explore and reports per test: each failing test's full name, message, the seeds "
    "it failed on and a command that replays it, and a table of flaky tests. COMMAND is a test runner of "
    "node_modules/.bin (mocha, jest, vitest; `npx NAME` too) or `node FILE`; FILE... are node:test files, each "
    "swept in turn. vitest runs once (--run). Takes explore's options."};

// explore and test.
void AddExplore(CLI::App* app, ExploreCommand* e) {
  Table t(app, "Options");
  t.Number("--seeds", "N", &e->seeds, "how many seeds (for --strategy exhaustive: the budget of runs)", 1);
  t.Number("--seed-start", "S", &e->seed_start, "the first seed");
  t.Number("--jobs", "J", &e->jobs, "seeds run in parallel", 1, 1024)->default_str("one per core");
  t.Value("--shard", "K/N",
          "run only shard K of N: the seeds --seed-start + i with i % N == K-1; the shards' --json summaries merge "
          "(loopsim merge) into what one run gives",
          [e](const std::string& v) {
            const size_t slash = v.find('/');
            uint64_t k = 0, n = 0;
            if (slash == std::string::npos || !ParseUint(v.substr(0, slash), &k) ||
                !ParseUint(v.substr(slash + 1), &n) || n < 1 || k < 1 || k > n || n > 1'000'000) {
              return "--shard takes K/N with 1 <= K <= N, not '" + v + "'";
            }
            e->shard_index = static_cast<uint32_t>(k);
            e->shard_count = static_cast<uint32_t>(n);
            return std::string();
          });
  t.Value("--max-deviations", "B",
          "with --strategy exhaustive: only schedules with at most B deviations from the plain one",
          [e](const std::string& v) {
            uint64_t b = 0;
            if (!ParseUint(v, &b)) return "--max-deviations takes a whole number, not '" + v + "'";
            e->max_deviations = b;
            return std::string();
          })
      ->default_str("no bound");
  t.Text("--schedules-dir", "DIR", &e->schedules_dir, "with --strategy exhaustive: where failing schedules go");
  t.Number("--timeout-ms", "MS", &e->timeout_ms,
           "wall-clock budget per seed; past it the seed is killed (a failure of kind timeout)", 1);
  t.Flag("--check-determinism", &e->check_determinism,
         "re-run the failing seeds and a sample of the passing ones; any difference in trace, stdout or exit "
         "is a failure of kind nondeterminism");
  t.Number("--determinism-sample", "N", &e->determinism_sample,
           "with --check-determinism: re-run every N-th passing seed", 1);
  t.Number("--max-failures", "K", &e->max_failures, "stop after K failing seeds", 1)->default_str("no limit");
  t.Choice("--group-by", &e->group_by, {"shape", "message", "kind"},
           "what makes two failures one group: shape: kind, place and message with its varying parts (numbers, "
           "ids, quoted values, ...) masked; message: the exact message; kind: the kind alone");
  t.Text("--json", "FILE", &e->json_path, "write a JSON summary");
  t.Text("--junit", "FILE", &e->junit_path, "write a JUnit XML report");
  AddRunOptions(t.Group(kRunOptions), &e->flags, {.explore = true});
  t.Group("").Value("--test-run-arg", "ARG", "", [e](const std::string& v) {
    e->test_run_args.push_back(v);
    return std::string();
  });
}

constexpr CommandHelp kShrinkHelp = {
    "SCRIPT [ARGS...]", "cut a failing seed's decisions down to the few that make it fail",
    "Minimises a failing seed's decision log (--seed N, or --schedule FILE) to a schedule that fails the same way "
    "with the fewest non-plain decisions, writes it for replay --schedule, and tells the minimised timeline in "
    "words."};

void AddShrink(CLI::App* app, ShrinkCommand* s) {
  Table t(app, "Options");
  AddSeedOptions(t, &s->seed, &s->seed_given, &s->schedule_path, false, "the failing seed to shrink",
                 "or shrink the failure of this decision log (as --record, explore or shrink write it)");
  t.Text("-o,--output", "FILE", &s->output_path, "where the shrunk schedule is written (for replay --schedule)");
  t.Number("--jobs", "J", &s->jobs, "replays run in parallel", 1, 1024)->default_str("one per core");
  t.Number("--timeout-ms", "MS", &s->timeout_ms, "wall-clock budget per replay", 1);
  t.Number("--max-runs", "N", &s->max_runs, "the most replays shrinking takes", 1);
  t.Flag("--force-schedule", &s->force_schedule,
         "shrink a --schedule FILE recorded for another script, or whose decisions no longer fit the run");
  AddRunOptions(t.Group(kRunOptions), &s->flags, {});
  t.Group("").Value("--test-run-arg", "ARG", "", [s](const std::string& v) {
    s->test_run_args.push_back(v);
    return std::string();
  });
}

constexpr CommandHelp kMergeHelp = {
    "SUMMARY.json...", "merge the --json summaries of explore's shards into one",
    "Merges the --json summaries of explore's shards (--shard K/N) into exactly what one unsharded run writes."};

void AddMerge(CLI::App* app, MergeCommand* m) {
  // No program: the summaries may come among the options, and an unknown option is left for the check
  // every command gets (ParseCommandLine).
  app->prefix_command(false);
  app->allow_extras();
  app->footer("");
  Table t(app, "Options");
  t.Text("--json", "FILE", &m->json_path, "write the merged JSON summary");
  t.Text("--junit", "FILE", &m->junit_path, "write the merged JUnit XML report");
  // The summaries are positional words among the options; their place in the usage line says so.
  app->add_option("summaries", m->inputs)->group("");
}

// The script and the program's arguments: the words the options left.
std::string TakeProgram(const std::vector<std::string>& words, std::string* script, std::vector<std::string>* args) {
  if (words.empty()) return "missing SCRIPT";
  *script = words[0];
  args->assign(words.begin() + 1, words.end());
  return "";
}

// What the tables fill in, one command each (run and replay share one).
struct Commands {
  RunCommand run;
  ExploreCommand explore;
  ShrinkCommand shrink;
  MergeCommand merge;
};

// After the options: what no single option can check (options that exclude each other, the script),
// given the words the options left; moves the command into the result. "" or the error.
using Finish = std::string (*)(const CLI::App& app, const std::vector<std::string>& words, Commands* c,
                               ParseResult* result);

std::string FinishRun(const CLI::App& app, const std::vector<std::string>& words, Commands* c, ParseResult* result) {
  RunCommand& run = c->run;
  if (run.seed_given && !run.schedule_path.empty()) {
    return "--seed and --schedule exclude each other (a schedule carries its seed)";
  }
  if (app.get_name() == "replay" && !run.seed_given && run.schedule_path.empty()) {
    return "replay needs --seed N or --schedule FILE";
  }
  if (std::string error = TakeProgram(words, &run.script, &run.args); !error.empty()) return error;
  result->run = std::move(run);
  return "";
}

std::string FinishExplore(const CLI::App& app, const std::vector<std::string>& words, Commands* c,
                          ParseResult* result) {
  ExploreCommand& e = c->explore;
  e.pct_horizon_given = app.count("--pct-horizon") > 0;
  e.strategy = e.flags.strategy;
  e.backend = e.flags.backend;
  if (e.strategy == "exhaustive") e.flags.strategy = "random";
  if (std::string error = TakeProgram(words, &e.script, &e.args); !error.empty()) return error;
  result->explore = std::move(e);
  return "";
}

std::string FinishTest(const CLI::App& app, const std::vector<std::string>& words, Commands* c,
                       ParseResult* result) {
  if (words.empty()) return "test needs a test runner's command after -- (e.g. -- npx mocha) or test files";
  if (std::string error = FinishExplore(app, {"-"}, c, result); !error.empty()) return error;
  result->explore->script.clear();
  result->explore->test_words = words;
  return "";
}

std::string FinishShrink(const CLI::App&, const std::vector<std::string>& words, Commands* c, ParseResult* result) {
  ShrinkCommand& s = c->shrink;
  if (s.seed_given == !s.schedule_path.empty()) return "shrink needs one of --seed N or --schedule FILE";
  if (std::string error = TakeProgram(words, &s.script, &s.args); !error.empty()) return error;
  result->shrink = std::move(s);
  return "";
}

std::string FinishMerge(const CLI::App&, const std::vector<std::string>& words, Commands* c, ParseResult* result) {
  MergeCommand& m = c->merge;
  m.inputs.insert(m.inputs.end(), words.begin(), words.end());  // those after a `--`
  if (m.inputs.empty()) return "merge needs at least one JSON summary written by explore --json";
  result->merge = std::move(m);
  return "";
}

struct CommandSpec {
  const char* name;
  CommandHelp help;
  void (*add)(CLI::App* app, Commands* c);  // registers its options
  Finish finish;
};

// The commands, in the order the overview lists them. A command is one entry here: its help (above the
// function that registers its options), that function, and one that finishes its parse.
constexpr CommandSpec kCommands[] = {
    {"run", kRunHelp, [](CLI::App* app, Commands* c) { AddRun(app, &c->run); }, FinishRun},
    {"replay", kReplayHelp, [](CLI::App* app, Commands* c) { AddRun(app, &c->run); }, FinishRun},
    {"explore", kExploreHelp, [](CLI::App* app, Commands* c) { AddExplore(app, &c->explore); }, FinishExplore},
    {"test", kTestHelp, [](CLI::App* app, Commands* c) { AddExplore(app, &c->explore); }, FinishTest},
    {"shrink", kShrinkHelp, [](CLI::App* app, Commands* c) { AddShrink(app, &c->shrink); }, FinishShrink},
    {"merge", kMergeHelp, [](CLI::App* app, Commands* c) { AddMerge(app, &c->merge); }, FinishMerge},
};

const CommandSpec* FindCommand(const std::string& name) {
  for (const CommandSpec& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string Operands(const std::string& command) {
  const CommandSpec* spec = FindCommand(command);
  return spec != nullptr ? spec->help.operands : "";
}

std::string Summary(const std::string& command) {
  const CommandSpec* spec = FindCommand(command);
  return spec != nullptr ? spec->help.summary : "";
}

// The command line: the root (--help, --version and the commands) and the table of `command`, bound to
// the fields of `commands` (the other commands are there by name, for the overview: building every
// table would cost each parse, and the zygote runner parses one per seed). Not movable: the table points
// into it.
class CommandLine {
 public:
  explicit CommandLine(const std::string& command) : root_(kOverview, "loopsim") {
    root_.formatter(formatter_);
    root_.set_help_flag("-h,--help", "print this help (`loopsim COMMAND --help`: a command's)");
    root_.add_flag("--version", version_, "print loopsim's version and the node it would use");
    root_.footer("Options come before the script, as with node; what follows the script is the program's.");
    // One command; the words after a command's `--` end its parse and are left to the root (Unparsed).
    root_.require_subcommand(0, 1);
    root_.prefix_command();
    for (const CommandSpec& spec : kCommands) {
      CLI::App* app = root_.add_subcommand(spec.name, spec.help.about);
      app->group("Commands");
      app->set_help_flag("-h,--help", "print this help");
      // The first word that is no option, and every word after it, are left unparsed: the program's.
      app->prefix_command();
      if (command == spec.name) spec.add(app, &commands);
    }
  }
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Ready for another command line: the fields at their defaults, nothing parsed.
  void Reset() {
    commands = Commands();
    version_ = false;
    root_.clear();
  }

  CLI::App& root() { return root_; }
  CLI::App* command(const std::string& name) { return root_.get_subcommand(name); }
  bool version() const { return version_; }
  const HelpFormatter& formatter() const { return *formatter_; }

  // The words CLI11 left unparsed, in order: for a prefix command, an unknown option or the script, then
  // the program's arguments. The words after a `--` end the command's parse and are the root's.
  std::vector<std::string> Unparsed(const std::string& name) {
    std::vector<std::string> words = command(name)->remaining();
    for (const std::string& w : root_.remaining()) words.push_back(w);
    return words;
  }

  Commands commands;

 private:
  static constexpr char kOverview[] =
      "Runs a Node.js program on loopsim's simulated event loop. One seed is one interleaving: the same seed "
      "gives the same output, exit code and trace.";
  bool version_ = false;
  std::shared_ptr<HelpFormatter> formatter_ = std::make_shared<HelpFormatter>();
  CLI::App root_;
};

// The tables to parse one command line with. Building a command's table costs far more than parsing
// with it (CLI11 allocates a good deal per option), and the zygote runner parses a `run` command line
// per seed, so each thread keeps the tables it has built and resets them for the next command line.
CommandLine& TablesFor(const std::string& command) {
  thread_local std::vector<std::pair<std::string, std::unique_ptr<CommandLine>>> built;
  for (auto& [name, cl] : built) {
    if (name == command) {
      cl->Reset();
      return *cl;
    }
  }
  built.emplace_back(command, std::make_unique<CommandLine>(command));
  return *built.back().second;
}

// An option-looking word where the script should be.
bool LooksLikeOption(const std::string& word) { return word.size() > 1 && word[0] == '-'; }

// CLI11's own errors in loopsim's words (its messages for the errors the tables do not check themselves).
std::string ErrorMessage(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    return "option " + what.substr(0, what.find(':')) + " needs a value";
  }
  return what;
}

std::string UsageOf(const std::string& command) {
  CommandLine cl("");  // the usage line names no option
  CLI::App* app = FindCommand(command) != nullptr ? cl.command(command) : &cl.root();
  const std::string name = app == &cl.root() ? "loopsim" : "loopsim " + command;
  return cl.formatter().make_usage(app, name) + "`" + name + " --help` lists the " +
         (app == &cl.root() ? "commands" : "options") + ".\n";
}

}  // namespace

std::string HelpText(const std::string& command) {
  CommandLine cl(command);
  if (command.empty() || FindCommand(command) == nullptr) return cl.root().help();
  return cl.command(command)->help("loopsim");
}

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
  for (const auto& [name, addresses] : hosts) {
    std::string list;
    for (const std::string& a : addresses) list += (list.empty() ? "" : ",") + a;
    out.push_back("--host=" + name + "=" + list);
  }
  for (const auto& [name, script] : commands) out.push_back("--command=" + name + "=" + script);
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
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '.' || c == '_' || c == '-' || c == '=' || c == ':' || c == ',' || c == '+' || c == '@';
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

namespace {

// One parse of a command line (ParseCommandLine adds the script's own options).
ParseResult ParseOnce(const std::vector<std::string>& argv) {
  ParseResult result;
  auto fail = [&](const std::string& error) {
    result.error = error;
    result.usage = UsageOf(result.command);
    return result;
  };
  if (argv.size() < 2) return fail("missing command");
  const std::string& first = argv[1];
  if (first == "help") {
    result.help = true;
    result.help_text = HelpText(argv.size() > 2 ? argv[2] : "");
    return result;
  }
  if (!LooksLikeOption(first) && FindCommand(first) == nullptr) return fail("unknown command '" + first + "'");
  if (!LooksLikeOption(first)) result.command = first;
  CommandLine& cl = TablesFor(result.command);
  try {
    // CLI11 takes the words after the program's name, last first.
    std::vector<std::string> words(argv.rbegin(), argv.rend() - 1);
    cl.root().parse(words);
  } catch (const CLI::CallForHelp&) {
    result.help = true;
    result.help_text = cl.root().help();
    return result;
  } catch (const CLI::ParseError& e) {
    return fail(ErrorMessage(e));
  }
  if (result.command.empty()) {
    const std::vector<std::string> left = cl.root().remaining();
    if (!left.empty() && LooksLikeOption(left[0])) return fail("unknown option '" + left[0] + "'");
    if (cl.version()) {
      result.version = true;
      return result;
    }
    return fail("missing command");
  }
  CLI::App* app = cl.command(result.command);
  const std::vector<std::string> own = app->remaining();
  if (!own.empty() && LooksLikeOption(own[0])) {
    return fail("unknown option '" + own[0].substr(0, own[0].find('=')) + "'");
  }
  const Finish finish = FindCommand(result.command)->finish;
  if (std::string error = finish(*app, cl.Unparsed(result.command), &cl.commands, &result); !error.empty()) {
    return fail(error);
  }
  return result;
}

// The options a script may carry (`// @loopsim ...`): those that describe the machine it needs and how
// it fails, never how loopsim reports.
bool ScriptMayGive(const std::string& option) {
  return option == "--host" || option == "--command" || option == "--faults" || option == "--env" ||
         option == "--max-virtual-ms";
}

// The words of the `// @loopsim` lines among a script's leading comments (a `#!` line, `//` lines and
// blank lines), with relative paths (a --faults file, a --command script) taken from the script's folder.
// "" or what is wrong, with the line.
std::string ScriptOptions(const std::string& script, std::vector<std::string>* out) {
  std::ifstream in(script);
  if (!in) return "";  // the run reports a script it cannot read
  const size_t slash = script.rfind('/');
  const std::string folder = slash == std::string::npos ? "" : script.substr(0, slash + 1);
  auto from_script = [&folder](const std::string& path) { return path.empty() || path[0] == '/' ? path : folder + path; };
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || (number == 1 && line.rfind("#!", 0) == 0)) continue;
    if (line.compare(begin, 2, "//") != 0) break;
    std::stringstream words(line.substr(begin + 2));
    std::string word;
    if (!(words >> word) || word != "@loopsim") continue;
    std::vector<std::string> given;
    while (words >> word) given.push_back(word);
    const std::string where = script + ":" + std::to_string(number) + ": ";
    for (size_t i = 0; i < given.size(); ++i) {
      const size_t eq = given[i].find('=');
      const std::string option = given[i].substr(0, eq);
      if (!ScriptMayGive(option)) {
        return where + "@loopsim takes --host, --command, --faults, --env and --max-virtual-ms, not '" + given[i] + "'";
      }
      std::string value = eq == std::string::npos ? (i + 1 < given.size() ? given[++i] : "") : given[i].substr(eq + 1);
      if (value.empty()) return where + option + " needs a value";
      if (option == "--faults" && value != "none" && value != "light" && value != "heavy") value = from_script(value);
      if (option == "--command" && value.find('=') != std::string::npos) {
        value = value.substr(0, value.find('=') + 1) + from_script(value.substr(value.find('=') + 1));
      }
      out->push_back(option + "=" + value);
    }
  }
  return "";
}

const std::string* ScriptOf(const ParseResult& r) {
  if (r.run) return &r.run->script;
  if (r.explore && !r.explore->script.empty()) return &r.explore->script;
  if (r.shrink) return &r.shrink->script;
  return nullptr;
}

}  // namespace

ParseResult ParseCommandLine(const std::vector<std::string>& argv) {
  ParseResult result = ParseOnce(argv);
  const std::string* script = ScriptOf(result);
  if (!result.error.empty() || script == nullptr) return result;
  std::vector<std::string> own;
  if (std::string error = ScriptOptions(*script, &own); !error.empty()) {
    ParseResult refused;
    refused.command = result.command;
    refused.error = error;
    refused.usage = UsageOf(result.command);
    return refused;
  }
  if (own.empty()) return result;
  std::vector<std::string> again = argv;
  again.insert(again.begin() + 2, own.begin(), own.end());
  ParseResult with_script = ParseOnce(again);
  if (!with_script.error.empty()) with_script.error = "in the @loopsim options of " + *script + ": " + with_script.error;
  return with_script;
}

}  // namespace loopsim::sim
