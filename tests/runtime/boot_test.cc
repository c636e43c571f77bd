// Runtime::StartBooting and BeginSeed, through the uv API (no Node): work done while booting, under the
// boot seed, leaves the seed that begins afterwards as if it had been started at once (same decisions,
// entropy, fault swarm, number of trace events; only the ids the boot's handles took move the later
// ones), what the boot draws from its own entropy changes nothing, and booting may not decide anything.
#include <gtest/gtest.h>
#include <uv.h>

#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace loopsim {
namespace {

struct Observed {
  std::vector<Decision> decisions;
  uint64_t trace_events = 0;
  std::vector<int> order;
  std::vector<unsigned char> entropy;
  uint64_t trace_hash = 0;  // not compared by ==: ids continue from the boot's

  bool operator==(const Observed& o) const {
    return decisions == o.decisions && trace_events == o.trace_events && order == o.order && entropy == o.entropy;
  }
};

struct Work {
  uv_work_t req;
  int id;
  std::vector<int>* order;
};

// Something with decisions in it: thread-pool work finishing in a seed-chosen order, and timers.
Observed RunBody() {
  Observed o;
  uv_loop_t loop;
  EXPECT_EQ(uv_loop_init(&loop), 0);
  std::vector<Work> work(4);
  for (int i = 0; i < 4; ++i) {
    work[i] = {{}, i, &o.order};
    uv_queue_work(
        &loop, &work[i].req, [](uv_work_t*) {},
        [](uv_work_t* req, int) {
          auto* w = reinterpret_cast<Work*>(req);
          w->order->push_back(w->id);
        });
  }
  uv_timer_t timer;
  uv_timer_init(&loop, &timer);
  uv_timer_start(&timer, [](uv_timer_t* t) { uv_close(reinterpret_cast<uv_handle_t*>(t), nullptr); }, 1, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  o.entropy.resize(16);
  uv_random(nullptr, nullptr, o.entropy.data(), o.entropy.size(), 0, nullptr);
  runtime::Runtime& rt = runtime::Runtime::Get();
  o.decisions = rt.kernel().chooser().log();
  o.trace_hash = rt.trace().hash();
  o.trace_events = rt.trace().events();
  return o;
}

runtime::RuntimeOptions Options(uint64_t seed, bool faults) {
  runtime::RuntimeOptions options;
  options.kernel.seed = seed;
  if (faults) options.kernel.faults = FaultProfile::Heavy();
  return options;
}

Observed StartedAtOnce(uint64_t seed, bool faults) {
  runtime::Runtime::Start(Options(seed, faults));
  Observed o = RunBody();
  runtime::Runtime::Shutdown();
  return o;
}

// Boots first: a loop and a timer of its own, files, entropy (as V8 draws some) — but no decision, so
// no uv_run (it charges the script's time) — then begins the seed it was started with.
Observed BootedFirst(uint64_t seed, bool faults, size_t boot_entropy_bytes = 8) {
  runtime::Runtime::StartBooting(Options(seed, faults));
  runtime::Runtime& rt = runtime::Runtime::Get();
  EXPECT_TRUE(rt.booting());
  uv_loop_t boot_loop;
  EXPECT_EQ(uv_loop_init(&boot_loop), 0);
  uv_timer_t boot_timer;  // started and stopped: a handle the boot leaves behind, as Node's
  uv_timer_init(&boot_loop, &boot_timer);
  uv_timer_start(&boot_timer, [](uv_timer_t*) {}, 5, 0);
  uv_timer_stop(&boot_timer);
  rt.kernel().vfs().Mkdir("/booted", 0755);
  std::vector<unsigned char> boot_entropy(boot_entropy_bytes);
  rt.kernel().Entropy(boot_entropy.data(), boot_entropy.size());
  rt.BeginSeed(rt.TakeSeed());
  EXPECT_FALSE(rt.booting());
  Observed o = RunBody();
  runtime::Runtime::Shutdown();
  return o;
}

TEST(Boot, ASeedBegunAfterBootingRunsAsOneStartedAtOnce) {
  for (uint64_t seed : {0, 1, 2, 3, 42}) {
    for (bool faults : {false, true}) {
      const Observed at_once = StartedAtOnce(seed, faults);
      const Observed booted = BootedFirst(seed, faults);
      EXPECT_FALSE(at_once.decisions.empty());
      EXPECT_EQ(booted, at_once) << "seed " << seed << (faults ? " with faults" : "");
    }
  }
}

TEST(Boot, WhatTheBootDrawsFromItsEntropyChangesNothing) {
  const Observed a = BootedFirst(7, true, 0);
  const Observed b = BootedFirst(7, true, 64);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
}

TEST(Boot, SeedsStillDiffer) {
  EXPECT_NE(BootedFirst(1, false).entropy, BootedFirst(2, false).entropy);
}

TEST(BootDeathTest, ADecisionWhileBootingIsRefused) {
  EXPECT_DEATH(
      {
        runtime::Runtime::StartBooting(Options(1, false));
        RunBody();
      },
      "while booting");
}

}  // namespace
}  // namespace loopsim
