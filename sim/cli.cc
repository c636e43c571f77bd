// See cli.h.
#include "sim/cli.h"

#include <cerrno>
#include <cstdlib>

namespace loopsim::sim {

const char kUsage[] =
    "usage: loopsim run [--seed N] [--backend epoll] [--faults none] [--trace FILE]\n"
    "                   [--trace-format jsonl] SCRIPT [ARGS...]\n"
    "\n"
    "Runs a Node.js program on loopsim's simulated event loop. One seed is one interleaving:\n"
    "the same seed gives the same output, exit code and trace.\n"
    "\n"
    "  --seed N          the seed (default 0)\n"
    "  --schedule FILE   replay a decision log (as written by --record or shrink); its seed is used\n"
    "  --record FILE     write the run record: the decision log, how the run ended, the trace hash\n"
    "  --trace FILE      write the run's trace, one JSON event per line\n"
    "  --preload FILE    require FILE before the program (as node --require)\n"
    "  --backend NAME    readiness model: epoll (kqueue and iocp are not simulated yet)\n"
    "  --faults PROFILE  fault profile: none (fault injection is not available yet)\n";

namespace {

bool ParseSeed(const std::string& text, uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || end == nullptr || *end != '\0') return false;
  *out = v;
  return true;
}

}  // namespace

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
  if (command != "run") {
    if (command == "explore" || command == "replay" || command == "shrink" || command == "merge") {
      result.error = "'" + command + "' is not available yet; only 'run' is";
    } else {
      result.error = "unknown command '" + command + "'";
    }
    return result;
  }
  RunCommand run;
  size_t i = 2;
  auto value = [&](const std::string& flag, std::string* out) {
    if (i + 1 >= argv.size()) {
      result.error = "option " + flag + " needs a value";
      return false;
    }
    *out = argv[++i];
    return true;
  };
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() < 2 || a[0] != '-') break;
    std::string v;
    if (a == "--seed") {
      if (!value(a, &v)) return result;
      if (!ParseSeed(v, &run.seed)) {
        result.error = "--seed takes a whole number from 0 to 2^64-1, not '" + v + "'";
        return result;
      }
      run.seed_given = true;
    } else if (a == "--schedule") {
      if (!value(a, &run.schedule_path)) return result;
    } else if (a == "--record") {
      if (!value(a, &run.record_path)) return result;
    } else if (a == "--preload") {
      if (!value(a, &run.preload)) return result;
    } else if (a == "--test-mutation") {
      if (!value(a, &v)) return result;
      run.test_mutations.push_back(v);
    } else if (a == "--trace") {
      if (!value(a, &run.trace_path)) return result;
    } else if (a == "--trace-format") {
      if (!value(a, &run.trace_format)) return result;
      if (run.trace_format != "jsonl") {
        result.error = "--trace-format " + run.trace_format + " is not available yet (use jsonl)";
        return result;
      }
    } else if (a == "--backend") {
      if (!value(a, &run.backend)) return result;
      if (run.backend != "epoll") {
        result.error = "--backend " + run.backend + " is not simulated yet (use epoll)";
        return result;
      }
    } else if (a == "--faults") {
      if (!value(a, &run.faults)) return result;
      if (run.faults != "none") {
        result.error = "--faults " + run.faults + " is not available yet (use none)";
        return result;
      }
    } else if (a == "--") {
      ++i;
      break;
    } else {
      result.error = "unknown option '" + a + "'";
      return result;
    }
  }
  if (run.seed_given && !run.schedule_path.empty()) {
    result.error = "--seed and --schedule exclude each other (a schedule carries its seed)";
    return result;
  }
  if (i >= argv.size()) {
    result.error = "missing SCRIPT";
    return result;
  }
  run.script = argv[i++];
  run.args.assign(argv.begin() + static_cast<ptrdiff_t>(i), argv.end());
  result.run = std::move(run);
  return result;
}

}  // namespace loopsim::sim
