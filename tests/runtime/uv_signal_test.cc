// Signals a simulated process sends itself (uv_kill with its own pid), as Linux with libuv delivers them.
#include <gtest/gtest.h>
#include <signal.h>
#include <uv.h>

#include "runtime/simulation.h"

namespace loopsim {
namespace {

struct Counter {
  uv_signal_t handle;
  int calls = 0;
};

// A signal watcher on `loop` with no calls yet. There is one: each test's replaces the one before.
Counter& NewWatcher(uv_loop_t* loop) {
  static Counter c;
  c = Counter();
  uv_signal_init(loop, &c.handle);
  return c;
}

TEST(UvSignal, ACaughtSignalIsDeliveredInTheNextPollPhaseNotInsideKill) {
  Simulate({}, [] {
    uv_loop_t* loop = uv_default_loop();
    Counter& c = NewWatcher(loop);
    uv_signal_start(&c.handle, [](uv_signal_t* h, int signum) {
      EXPECT_EQ(signum, SIGUSR2);
      ++reinterpret_cast<Counter*>(h)->calls;
      uv_close(reinterpret_cast<uv_handle_t*>(h), nullptr);
    }, SIGUSR2);
    EXPECT_EQ(uv_kill(uv_os_getpid(), SIGUSR2), 0);
    EXPECT_EQ(c.calls, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    EXPECT_EQ(c.calls, 1);
  });
}

TEST(UvSignal, AnUnreferencedWatcherDoesNotKeepTheLoopAliveForItsSignal) {
  Simulate({}, [] {
    uv_loop_t* loop = uv_default_loop();
    Counter& c = NewWatcher(loop);
    uv_signal_start(&c.handle, [](uv_signal_t* h, int) { ++reinterpret_cast<Counter*>(h)->calls; }, SIGUSR1);
    uv_unref(reinterpret_cast<uv_handle_t*>(&c.handle));
    uv_kill(uv_os_getpid(), SIGUSR1);
    EXPECT_EQ(uv_run(loop, UV_RUN_DEFAULT), 0);
    EXPECT_EQ(c.calls, 0);
    uv_close(reinterpret_cast<uv_handle_t*>(&c.handle), nullptr);
    uv_run(loop, UV_RUN_DEFAULT);
  });
}

TEST(UvSignal, OnlyTheSimulatedProcessExists) {
  Simulate({}, [] {
    EXPECT_EQ(uv_kill(uv_os_getpid() + 1, SIGTERM), UV_ESRCH);
    EXPECT_EQ(uv_kill(uv_os_getpid(), 0), 0);
    EXPECT_EQ(uv_kill(uv_os_getpid(), SIGCHLD), 0);  // ignored by default
  });
}

TEST(UvSignalDeathTest, AnUnwatchedSignalKillsTheProcessAtOnce) {
  EXPECT_EXIT(Simulate({}, [] { uv_kill(uv_os_getpid(), SIGTERM); }), testing::KilledBySignal(SIGTERM), "");
}

}  // namespace
}  // namespace loopsim
