// The simulated libuv as a library for any libuv program: a plain C program (libuv_program.c) run on
// the simulation over many seeds, with gtest and rapidcheck; and the fault profile a simulation takes.
#include "runtime/simulation.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/runtime/libuv_program.h"

namespace loopsim {
namespace {

warmer_result RunWarmer(uint64_t seed, SimulationResult* sim = nullptr) {
  warmer_result result;
  SimulationOptions options;
  options.seed = seed;
  SimulationResult r = Simulate(options, [&] { warm_cache(uv_default_loop(), &result); });
  if (sim != nullptr) *sim = r;
  return result;
}

TEST(Simulate, EveryWriteCompletesExactlyOnceUnderEverySeed) {
  EXPECT_EQ(FirstFailingSeed(0, 200, [](uint64_t) {
              warmer_result r;
              warm_cache(uv_default_loop(), &r);
              std::string order = r.order;
              return r.completed == 3 && std::set<char>(order.begin(), order.end()).size() == 3;
            }),
            -1);
}

TEST(Simulate, TheSeedDecidesTheCompletionOrderAndTheSameSeedRepeatsIt) {
  std::set<std::string> orders;
  for (uint64_t seed = 0; seed < 200; ++seed) orders.insert(RunWarmer(seed).order);
  EXPECT_GT(orders.size(), 2u) << "thread-pool completions should come back in several orders";
  SimulationResult a, b;
  EXPECT_STREQ(RunWarmer(42, &a).order, RunWarmer(42, &b).order);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.decisions, b.decisions);
}

TEST(Simulate, FirstFailingSeedFindsAnOrderDependentAssumption) {
  // "The first write always completes first" is false for some seed; the helper finds one.
  const int64_t seed = FirstFailingSeed(0, 500, [](uint64_t) {
    warmer_result r;
    warm_cache(uv_default_loop(), &r);
    return r.order[0] == 'a';
  });
  ASSERT_GE(seed, 0);
  EXPECT_NE(RunWarmer(static_cast<uint64_t>(seed)).order[0], 'a');
}

RC_GTEST_PROP(Simulate, NoWriteCompletesBeforeTheLoopRunsAndAllCompleteByTheEnd, ()) {
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, 1000000);
  warmer_result r = RunWarmer(seed);
  RC_ASSERT(r.completed == 3);
  RC_ASSERT(r.completed_at_timer >= 0 && r.completed_at_timer <= 3);
}

// Four files, each opened and written through the thread pool: what came of it.
struct FileWrites {
  int full = 0;             // writes that wrote every byte
  int short_writes = 0;     // writes that wrote some
  std::vector<int> errors;  // failed opens and writes, in completion order
  bool operator==(const FileWrites&) const = default;
};

struct FileJob {
  uv_fs_t open_req;
  uv_fs_t write_req;
  std::string name;
  std::string data;
  uv_buf_t buf;
  FileWrites* out;
};

FileWrites WriteFourFiles() {
  FileWrites out;
  uv_loop_t loop;
  uv_loop_init(&loop);
  FileJob jobs[4];
  for (int i = 0; i < 4; ++i) {
    FileJob& job = jobs[i];
    job.name = "/tmp/file-" + std::to_string(i);
    job.data = std::string(4096, static_cast<char>('a' + i));
    job.out = &out;
    job.open_req.data = &job;
    uv_fs_open(&loop, &job.open_req, job.name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644, [](uv_fs_t* open) {
      auto& j = *static_cast<FileJob*>(open->data);
      if (open->result < 0) {
        j.out->errors.push_back(static_cast<int>(open->result));
        return;
      }
      j.buf = uv_buf_init(j.data.data(), static_cast<unsigned>(j.data.size()));
      j.write_req.data = &j;
      uv_fs_write(open->loop, &j.write_req, static_cast<uv_file>(open->result), &j.buf, 1, 0, [](uv_fs_t* write) {
        auto& w = *static_cast<FileJob*>(write->data);
        if (write->result < 0) {
          w.out->errors.push_back(static_cast<int>(write->result));
        } else if (static_cast<size_t>(write->result) == w.data.size()) {
          ++w.out->full;
        } else {
          ++w.out->short_writes;
        }
        uv_fs_t close;
        uv_fs_close(nullptr, &close, static_cast<uv_file>(w.open_req.result), nullptr);
        uv_fs_req_cleanup(&close);
        uv_fs_req_cleanup(write);
      });
    });
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  for (FileJob& job : jobs) uv_fs_req_cleanup(&job.open_req);
  uv_loop_close(&loop);
  return out;
}

TEST(Simulate, AFaultProfileLetsTheSeedFailDiskOperations) {
  // Without faults every open and write succeeds in full, whatever the seed.
  EXPECT_EQ(FirstFailingSeed(0, 100, [](uint64_t) { return WriteFourFiles() == FileWrites{4, 0, {}}; }), -1);
  // Under the heavy profile some seed fails one (with the errors the disk's fault sites raise) ...
  const int64_t failing = FirstFailingSeed(
      0, 500, [](uint64_t) { return WriteFourFiles().errors.empty(); }, "epoll", FaultProfile::Heavy());
  ASSERT_GE(failing, 0) << "500 seeds under heavy faults and no open or write failed";
  SimulationOptions options;
  options.seed = static_cast<uint64_t>(failing);
  options.faults = FaultProfile::Heavy();
  FileWrites first, again, healthy;
  const SimulationResult a = Simulate(options, [&] { first = WriteFourFiles(); });
  const SimulationResult b = Simulate(options, [&] { again = WriteFourFiles(); });
  ASSERT_FALSE(first.errors.empty());
  for (int err : first.errors) EXPECT_TRUE(err == UV_EIO || err == UV_ENOSPC || err == UV_EMFILE) << err;
  // ... the same seed and profile fail the same way again ...
  EXPECT_EQ(first, again);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.decisions, b.decisions);
  // ... and the same seed without faults does not fail: the profile made the difference.
  options.faults = FaultProfile::None();
  Simulate(options, [&] { healthy = WriteFourFiles(); });
  EXPECT_EQ(healthy, (FileWrites{4, 0, {}}));
}

}  // namespace
}  // namespace loopsim
