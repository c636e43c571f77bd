// Command-line parsing for `loopsim`: options come before the script, as with node, and everything after
// the script belongs to the program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loopsim::sim {

struct RunCommand {
  uint64_t seed = 0;
  std::string backend = "epoll";
  std::string faults = "none";
  bool seed_given = false;
  std::string schedule_path;  // replay this decision log instead of drawing from the seed
  std::string record_path;    // leave the run record here (used by the explorer)
  std::string trace_path;
  std::string trace_format = "jsonl";
  std::string preload;                      // a script to require before the program
  std::vector<std::string> test_mutations;  // test-only: rules of the loop to break
  bool check = false;
  std::string script;
  std::vector<std::string> args;
};

struct ParseResult {
  std::optional<RunCommand> run;
  std::string error;  // set when the command line is wrong (exit 2)
  bool help = false;
  bool version = false;
};

ParseResult ParseCommandLine(const std::vector<std::string>& argv);

extern const char kUsage[];

}  // namespace loopsim::sim
