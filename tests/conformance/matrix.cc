// See matrix.h.
#include "matrix.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "sim/cli.h"
#include "sim/node_binary.h"
#include "sim/zygote_runner.h"

#ifndef LOOPSIM_NODES_LIST
#error "LOOPSIM_NODES_LIST must list the test matrix's nodes as MAJOR=PATH,..."
#endif
#ifndef LOOPSIM_BIN
#error "LOOPSIM_BIN must name the loopsim binary"
#endif

namespace loopsim::testing {

const std::vector<TestNode>& TestNodes() {
  static const std::vector<TestNode> nodes = [] {
    std::vector<TestNode> out;
    std::stringstream list(LOOPSIM_NODES_LIST);
    for (std::string entry; std::getline(list, entry, ',');) {
      const size_t eq = entry.find('=');
      if (eq == std::string::npos) continue;
      TestNode node;
      node.major = std::atoi(entry.substr(0, eq).c_str());
      node.path = entry.substr(eq + 1);
      absl::StatusOr<std::string> version = sim::NodeVersion(node.path);
      std::optional<NodeVersion> parsed = version.ok() ? ParseNodeVersion(*version) : std::nullopt;
      if (parsed) node.version = *parsed;
      out.push_back(node);
    }
    return out;
  }();
  return nodes;
}

int ConformanceSeeds(int major) { return major == 22 || major == 24 ? 10 : 3; }

SeedsOf::SeedsOf(const TestNode& node, const std::string& script, const std::string& backend,
                 const std::string& cwd) {
  char dir[] = "/tmp/loopsim-matrix-XXXXXX";
  scratch_ = ::mkdtemp(dir);
  // The runner prepares each seed from this process's working directory, as `loopsim run` started there.
  if (::chdir(cwd.c_str()) != 0) scratch_.clear();
  options_.loopsim_binary = LOOPSIM_BIN;
  options_.script = script;
  options_.flags.node = node.path;
  options_.flags.backend = backend;
  options_.timeout_ms = 60'000;
  options_.scratch_dir = scratch_;
  runner_ = sim::MakeZygoteRunner(options_, 0);
}

SeedsOf::~SeedsOf() {
  runner_.reset();
  ::rmdir(scratch_.c_str());
}

sim::SeedResult SeedsOf::Run(uint64_t seed) {
  sim::SeedRequest request;
  request.seed = seed;
  return runner_->Run(request);
}

std::string SeedsOf::Command(uint64_t seed) const {
  std::vector<std::string> words = {LOOPSIM_BIN, "run", "--seed", std::to_string(seed)};
  for (const std::string& a : options_.flags.ToArgs()) words.push_back(a);
  words.push_back(options_.script);
  return sim::ShellLine(words);
}

std::string GtestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace loopsim::testing
