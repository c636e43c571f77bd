// Benchmark (not a test; ci/bench/seeds.sh runs it): seeds per second for one program, run as
//   zygote  - in a child of a booted Node that recycles itself between seeds (the zygote runner),
//   fork    - the same, with a child forked per seed (runtime/node/recycle.h's alternative),
//   cold    - the same, from a zygote booted without the warm-up,
//   run     - a fresh `loopsim run` process per seed (the subprocess runner),
//   node    - a fresh reference `node` process per seed (no simulation at all),
// with J runners in parallel, plus, for the zygote modes, the per-seed cost breakdown the zygote
// reports: the fork or the restore, whether the child recycled itself, the child's page faults and CPU time, and where its wall time went (fork to seed
// begun, main module, event loop to the end, exit). Figures are medians over the seeds.
//
// With --memory each zygote child also reports the memory it wrote itself (Private_Dirty at the run's
// end, which costs it about half a millisecond), and the first zygote's resident size after boot is printed.
//
//   zygote_bench --mode zygote|fork|cold|run|node --loopsim BIN [--node BIN] [--seeds N] [--jobs J] [--memory]
//                SCRIPT [ARGS...]
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "runtime/node/zygote_protocol.h"
#include "sim/runner_pool.h"
#include "sim/seed_runner.h"
#include "sim/zygote_runner.h"

extern char** environ;

namespace {

using loopsim::node_host::HostMonotonicNs;
using loopsim::sim::SeedRequest;
using loopsim::sim::SeedResult;
using loopsim::sim::SeedRunner;

// A fresh reference node process per seed: the floor a process per seed cannot go below.
class NodeRunner final : public SeedRunner {
 public:
  NodeRunner(std::string node, std::string script, std::vector<std::string> args)
      : node_(std::move(node)), script_(std::move(script)), args_(std::move(args)) {}
  SeedResult Run(const SeedRequest&) override {
    SeedResult result;
    std::vector<char*> argv = {node_.data(), script_.data()};
    for (std::string& a : args_) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const int64_t t0 = HostMonotonicNs();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      result.infra_error = "cannot start " + node_;
      return result;
    }
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    waitpid(pid, &status, 0);
    result.wall_ns = HostMonotonicNs() - t0;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

 private:
  std::string node_, script_;
  std::vector<std::string> args_;
};

// The runners' costs, gathered per seed (the pool runs runners on their own threads).
struct Costs {
  std::vector<double> wall_ms, fork_ms, begun_ms, main_ms, loop_ms, exit_ms, minflt, minflt_main, utime_ms,
      stime_ms, private_kb, restored_pages;
  int recycled = 0;
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

class MeasuredRunner final : public SeedRunner {
 public:
  MeasuredRunner(std::unique_ptr<SeedRunner> runner, loopsim::sim::ZygoteRunner* zygote, Costs* costs,
                 std::mutex* mu)
      : runner_(std::move(runner)), zygote_(zygote), costs_(costs), mu_(mu) {}
  SeedResult Run(const SeedRequest& request) override {
    SeedResult r = runner_->Run(request);
    std::lock_guard<std::mutex> lock(*mu_);
    costs_->wall_ms.push_back(static_cast<double>(r.wall_ns) / 1e6);
    if (zygote_ != nullptr) {
      const auto& c = zygote_->last_costs();
      const auto ms = [](int64_t ns) { return static_cast<double>(ns) / 1e6; };
      costs_->fork_ms.push_back(ms(c.fork_ns));
      costs_->begun_ms.push_back(ms(c.begun_ns));
      costs_->main_ms.push_back(ms(c.main_returned_ns - c.begun_ns));
      costs_->loop_ms.push_back(ms(c.finished_ns - c.main_returned_ns));
      costs_->exit_ms.push_back(ms(c.wall_ns - c.finished_ns));
      costs_->minflt.push_back(static_cast<double>(c.minflt));
      costs_->minflt_main.push_back(static_cast<double>(c.minflt_main_returned));
      costs_->utime_ms.push_back(ms(c.utime_ns));
      costs_->stime_ms.push_back(ms(c.stime_ns));
      costs_->private_kb.push_back(static_cast<double>(c.private_dirty_kb));
      if (c.recycled) {
        ++costs_->recycled;
        costs_->restored_pages.push_back(static_cast<double>(c.restored_pages));
      }
    }
    return r;
  }

 private:
  std::unique_ptr<SeedRunner> runner_;
  loopsim::sim::ZygoteRunner* zygote_;
  Costs* costs_;
  std::mutex* mu_;
};

// VmRSS of a process, in KiB (-1 when unreadable).
int64_t ResidentKb(int pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (f == nullptr) return -1;
  char line[256];
  int64_t kb = -1;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) kb = std::atoll(line + 6);
  }
  std::fclose(f);
  return kb;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "zygote", loopsim_bin, node_bin, script;
  std::vector<std::string> args, node_options;
  int seeds = 100, jobs = 1;
  bool memory = false, print_output = false;
  CLI::App app("Seeds per second for one program, and where a zygote seed's time goes.", "zygote_bench");
  app.add_option("--mode", mode, "how each seed runs")
      ->check(CLI::IsMember({"zygote", "fork", "cold", "run", "node"}))
      ->capture_default_str();
  app.add_option("--loopsim", loopsim_bin, "the loopsim binary")->required();
  app.add_option("--node", node_bin, "the node binary (required by --mode node; else the one loopsim finds)");
  app.add_option("--seeds", seeds, "how many seeds")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--jobs", jobs, "runners in parallel")->check(CLI::Range(1, 1024))->capture_default_str();
  app.add_option("--node-option", node_options, "one option of node's own (repeatable), as loopsim's --node-option");
  app.add_flag("--memory", memory, "each child reports the memory it wrote itself, the zygote its resident size");
  app.add_flag("--print-output", print_output,
               "print the first seed's stdout and stderr (e.g. what --node-option=--trace-opt wrote in a seed)");
  app.add_option("SCRIPT", script, "the program")->required();
  app.add_option("ARGS", args, "the program's own arguments");
  app.positionals_at_end();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help, or a usage error (2, as loopsim's own)
  }
  if (mode == "node" && node_bin.empty()) {
    std::fprintf(stderr, "zygote_bench: --mode node needs --node\n");
    return 2;
  }

  const std::string scratch = loopsim::sim::MakeScratchDir("loopsim-bench-");
  if (scratch.empty()) return 2;
  loopsim::sim::SeedRunnerOptions options;
  options.loopsim_binary = loopsim_bin;
  options.script = script;
  options.args = args;
  options.scratch_dir = scratch;
  options.flags.node = node_bin;  // the node the zygote and `loopsim run` use too ("": LOOPSIM_NODE or PATH)
  options.flags.node_options = node_options;

  Costs costs;
  std::mutex mu;
  std::vector<int64_t> boot_ns;
  int64_t zygote_rss_kb = -1;
  const int64_t t0 = HostMonotonicNs();
  auto pool_owner = std::make_unique<loopsim::sim::RunnerPool>(jobs, [&](int index) -> std::unique_ptr<SeedRunner> {
    if (mode == "zygote" || mode == "fork" || mode == "cold") {
      loopsim::sim::ZygoteRunnerOptions z;
      z.cold = mode == "cold";
      z.fork_per_seed = mode == "fork";
      z.measure_memory = memory;
      std::unique_ptr<loopsim::sim::ZygoteRunner> runner = loopsim::sim::MakeZygoteRunner(options, index, z);
      // Boot the zygote before the clock starts: its boot is paid once per job, not per seed.
      SeedRequest warm;
      warm.seed = 1'000'000 + static_cast<uint64_t>(index);
      warm.keep_decisions = false;
      runner->Run(warm);
      boot_ns.push_back(runner->boot_ns());
      if (index == 0) zygote_rss_kb = ResidentKb(runner->zygote_pid());
      loopsim::sim::ZygoteRunner* raw = runner.get();
      return std::make_unique<MeasuredRunner>(std::move(runner), raw, &costs, &mu);
    }
    if (mode == "run") {
      return std::make_unique<MeasuredRunner>(loopsim::sim::MakeSubprocessRunner(options, index), nullptr, &costs,
                                              &mu);
    }
    if (mode == "node") {
      return std::make_unique<MeasuredRunner>(std::make_unique<NodeRunner>(node_bin, script, args), nullptr, &costs, &mu);
    }
    std::abort();  // --mode was checked against these five when it was parsed
  });
  loopsim::sim::RunnerPool& pool = *pool_owner;
  const int64_t t1 = HostMonotonicNs();
  int failures = 0;
  pool.Run(
      static_cast<size_t>(seeds),
      [](size_t i) {
        SeedRequest r;
        r.seed = i;
        r.keep_decisions = false;  // as explore's sweep asks
        return r;
      },
      [&](size_t i, SeedResult& r) {
        if (print_output && i == 0) std::fprintf(stderr, "%s%s", r.out.c_str(), r.err.c_str());
        if (!r.infra_error.empty() || r.exit_code != 0) {
          if (failures++ == 0) std::fprintf(stderr, "first failure: exit %d %s%s\n", r.exit_code, r.infra_error.c_str(), r.err.c_str());
        }
        return true;
      });
  const int64_t t2 = HostMonotonicNs();
  const double seconds = static_cast<double>(t2 - t1) / 1e9;
  std::printf("%-7s jobs=%d seeds=%d failures=%d  %.1f seeds/s  wall/seed p50 %.1f ms", mode.c_str(), jobs, seeds,
              failures, seeds / seconds, Median(costs.wall_ms));
  if (!boot_ns.empty()) {
    std::printf("  (zygote boot %.0f ms, set-up %.0f ms)", static_cast<double>(boot_ns[0]) / 1e6,
                static_cast<double>(t1 - t0) / 1e6);
  }
  std::printf("\n");
  if (!costs.fork_ms.empty()) {
    std::printf(
        "        p50: fork/restore %.2f ms | to seed begun %.2f | main module %.2f | loop to end %.2f | exit+reap %.2f ms"
        " | minflt %.0f (%.0f by main's end) | cpu user %.1f sys %.1f ms | recycled %d of %zu"
        " (%.0f pages put back)\n",
        Median(costs.fork_ms), Median(costs.begun_ms), Median(costs.main_ms), Median(costs.loop_ms),
        Median(costs.exit_ms), Median(costs.minflt), Median(costs.minflt_main), Median(costs.utime_ms),
        Median(costs.stime_ms), costs.recycled, costs.fork_ms.size(), Median(costs.restored_pages));
  }
  if (memory && !costs.private_kb.empty()) {
    std::printf("        memory: zygote resident %.1f MB | seed private (p50) %.1f MB, max %.1f MB\n",
                static_cast<double>(zygote_rss_kb) / 1024, Median(costs.private_kb) / 1024,
                *std::max_element(costs.private_kb.begin(), costs.private_kb.end()) / 1024);
  }
  pool_owner.reset();  // the runners remove their files
  ::rmdir(scratch.c_str());
  return failures == 0 ? 0 : 1;
}
