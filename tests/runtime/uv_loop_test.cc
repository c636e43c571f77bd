// The simulated libuv against libuv's own contract, through the uv API directly (no Node): loop
// lifecycle and run modes, timers, idle/prepare/check watchers, close ordering, thread-pool requests.
// Every test runs on each backend personality (epoll, kqueue, iocp). None of these expectations differs
// between libuv's unix and Windows cores: timers live in the shared src/timer.c, the thread pool in the
// shared src/threadpool.c, and src/win/core.c runs the same phases in the same order as src/unix/core.c,
// with idle/prepare/check handles started at the head of their lists (src/win/loop-watcher.c) and
// closing handles collected newest first (uv__want_endgame in src/win/handle-inl.h).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/uv/host_callbacks.h"
#include "tests/support/backends.h"

namespace loopsim {
namespace {

using testing::BackendName;
using testing::Backends;

class UvLoopTest : public ::testing::TestWithParam<std::string> {
 public:
  static UvLoopTest* Self(uv_handle_t* h) { return static_cast<UvLoopTest*>(h->loop->data); }
  void Log(std::string s) { log_.push_back(std::move(s)); }
  std::vector<std::string> log_;

 protected:
  void SetUp() override {
    count_ = 0;
    StartRuntime(1);
  }
  void TearDown() override {
    if (loop_open_) uv_loop_close(&loop_);
    runtime::Runtime::Shutdown();
  }
  void StartRuntime(uint64_t seed) {
    runtime::RuntimeOptions options;
    options.kernel.seed = seed;
    options.backend = GetParam();
    runtime::Runtime::Start(std::move(options));
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    loop_open_ = true;
    loop_.data = this;
  }
  Kernel& K() { return runtime::Runtime::Get().kernel(); }

  uv_loop_t loop_;
  bool loop_open_ = false;
  // How many times a test's callback ran (callbacks are plain functions: they reach it as a static).
  static inline int count_ = 0;
};

struct NamedTimer {
  uv_timer_t timer;
  std::string name;
};

void LogTimer(uv_timer_t* t) {
  auto* named = reinterpret_cast<NamedTimer*>(t);
  UvLoopTest::Self(reinterpret_cast<uv_handle_t*>(t))->log_.push_back(named->name);
}

TEST_P(UvLoopTest, AnEmptyLoopIsNotAliveAndRunReturnsAtOnce) {
  EXPECT_EQ(uv_loop_alive(&loop_), 0);
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
}

TEST_P(UvLoopTest, EqualDeadlinesFireInStartOrder) {
  NamedTimer a{{}, "a"}, b{{}, "b"}, c{{}, "c"};
  for (NamedTimer* t : {&a, &b, &c}) uv_timer_init(&loop_, &t->timer);
  uv_timer_start(&b.timer, LogTimer, 10, 0);
  uv_timer_start(&a.timer, LogTimer, 10, 0);
  uv_timer_start(&c.timer, LogTimer, 5, 0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(log_, (std::vector<std::string>{"c", "b", "a"}));
}

TEST_P(UvLoopTest, RestartingATimerMovesItBehindEqualDeadlines) {
  NamedTimer a{{}, "a"}, b{{}, "b"};
  uv_timer_init(&loop_, &a.timer);
  uv_timer_init(&loop_, &b.timer);
  uv_timer_start(&a.timer, LogTimer, 10, 0);
  uv_timer_start(&b.timer, LogTimer, 10, 0);
  uv_timer_start(&a.timer, LogTimer, 10, 0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(log_, (std::vector<std::string>{"b", "a"}));
}

TEST_P(UvLoopTest, NoTimerFiresBeforeItsDeadlineAndIdleTimeJumps) {
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  const uint64_t start = uv_now(&loop_);
  static uint64_t fired_at;
  uv_timer_start(&t, [](uv_timer_t* h) { fired_at = uv_now(h->loop); }, 3600 * 1000, 0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_GE(fired_at, start + 3600 * 1000);
  EXPECT_LT(fired_at, start + 3600 * 1000 + 50);
}

TEST_P(UvLoopTest, RepeatingTimerRunsUntilStopped) {
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  uv_timer_start(&t, [](uv_timer_t* h) {
    if (++count_ == 5) uv_timer_stop(h);
  }, 1, 7);
  EXPECT_EQ(uv_timer_get_repeat(&t), 7u);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(count_, 5);
  EXPECT_EQ(uv_is_active(reinterpret_cast<uv_handle_t*>(&t)), 0);
}

TEST_P(UvLoopTest, UnreferencedHandlesDoNotKeepTheLoopAlive) {
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  uv_timer_start(&t, [](uv_timer_t*) { ADD_FAILURE() << "an unreferenced timer kept the loop alive"; }, 100, 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&t));
  EXPECT_EQ(uv_has_ref(reinterpret_cast<uv_handle_t*>(&t)), 0);
  EXPECT_EQ(uv_loop_alive(&loop_), 0);
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
  uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
}

struct Watchers {
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_timer_t timer;
};

TEST_P(UvLoopTest, PhasesRunInLibuvOrder) {
  Watchers w;
  uv_idle_init(&loop_, &w.idle);
  uv_prepare_init(&loop_, &w.prepare);
  uv_check_init(&loop_, &w.check);
  uv_timer_init(&loop_, &w.timer);
  uv_check_start(&w.check, [](uv_check_t* h) { UvLoopTest::Self((uv_handle_t*)h)->Log("check"); });
  uv_prepare_start(&w.prepare, [](uv_prepare_t* h) { UvLoopTest::Self((uv_handle_t*)h)->Log("prepare"); });
  uv_idle_start(&w.idle, [](uv_idle_t* h) { UvLoopTest::Self((uv_handle_t*)h)->Log("idle"); });
  uv_timer_start(&w.timer, [](uv_timer_t* h) { UvLoopTest::Self((uv_handle_t*)h)->Log("timer"); }, 0, 0);
  uv_run(&loop_, UV_RUN_NOWAIT);
  // The timer is due only once the loop time has moved past its start; the first iteration may or may
  // not see it, so look at the order of what ran.
  std::vector<std::string> expected = {"idle", "prepare", "check"};
  if (!log_.empty() && log_[0] == "timer") expected.insert(expected.begin(), "timer");
  EXPECT_EQ(log_, expected);
  for (uv_handle_t* h : {(uv_handle_t*)&w.idle, (uv_handle_t*)&w.prepare, (uv_handle_t*)&w.check,
                         (uv_handle_t*)&w.timer}) {
    uv_close(h, nullptr);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
}

TEST_P(UvLoopTest, TheLatestStartedWatcherRunsFirst) {
  uv_check_t a, b;
  uv_check_init(&loop_, &a);
  uv_check_init(&loop_, &b);
  a.data = const_cast<char*>("a");
  b.data = const_cast<char*>("b");
  auto cb = [](uv_check_t* h) { UvLoopTest::Self((uv_handle_t*)h)->Log(static_cast<const char*>(h->data)); };
  uv_check_start(&a, cb);
  uv_check_start(&b, cb);
  uv_run(&loop_, UV_RUN_NOWAIT);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(log_, (std::vector<std::string>{"b", "a", "b", "a"}));
  uv_close((uv_handle_t*)&a, nullptr);
  uv_close((uv_handle_t*)&b, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
}

TEST_P(UvLoopTest, CloseCallbacksRunInTheClosingPhaseNewestFirst) {
  uv_timer_t a, b, c;
  for (uv_timer_t* t : {&a, &b, &c}) uv_timer_init(&loop_, t);
  a.data = const_cast<char*>("a");
  b.data = const_cast<char*>("b");
  c.data = const_cast<char*>("c");
  auto cb = [](uv_handle_t* h) {
    EXPECT_EQ(uv_is_closing(h), 1);
    UvLoopTest::Self(h)->Log(static_cast<const char*>(h->data));
  };
  uv_close((uv_handle_t*)&a, cb);
  uv_close((uv_handle_t*)&b, cb);
  uv_close((uv_handle_t*)&c, cb);
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(uv_loop_alive(&loop_), 1);  // closing handles keep it alive until their callbacks ran
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(log_, (std::vector<std::string>{"c", "b", "a"}));
}

TEST_P(UvLoopTest, StopEndsTheRunAfterTheCurrentIteration) {
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  uv_timer_start(&t, [](uv_timer_t* h) {
    ++count_;
    uv_stop(h->loop);
  }, 1, 1);
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 1);  // still alive: the repeating timer
  EXPECT_EQ(count_, 1);
  uv_close((uv_handle_t*)&t, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
}

TEST_P(UvLoopTest, RunOnceWaitsForOneEvent) {
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  uv_timer_start(&t, [](uv_timer_t*) { ++count_; }, 50, 0);
  EXPECT_EQ(uv_run(&loop_, UV_RUN_ONCE), 0);
  EXPECT_EQ(count_, 1);
}

TEST_P(UvLoopTest, AsyncSendsCoalesceIntoOneCallback) {
  uv_async_t a;
  uv_async_init(&loop_, &a, [](uv_async_t* h) {
    ++count_;
    uv_close((uv_handle_t*)h, nullptr);
  });
  uv_async_send(&a);
  uv_async_send(&a);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(count_, 1);
}

TEST_P(UvLoopTest, AsyncFsRequestCompletesInALaterPollPhaseExactlyOnce) {
  uv_fs_t open_req;
  K().vfs().Mkdir("/data", 0755);
  ASSERT_GE(uv_fs_open(nullptr, &open_req, "/data/f", O_WRONLY | O_CREAT, 0644, nullptr), 3);
  const int fd = static_cast<int>(open_req.result);
  uv_fs_req_cleanup(&open_req);
  static int completions;
  completions = 0;
  uv_fs_t write_req;
  char text[] = "payload";
  uv_buf_t buf = uv_buf_init(text, 7);
  ASSERT_EQ(uv_fs_write(&loop_, &write_req, fd, &buf, 1, 0, [](uv_fs_t* r) {
    ++completions;
    EXPECT_EQ(r->result, 7);
    uv_fs_req_cleanup(r);
  }), 0);
  EXPECT_EQ(completions, 0);  // never before the loop runs
  EXPECT_EQ(uv_loop_alive(&loop_), 1);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(completions, 1);
  uv_fs_t stat_req;
  ASSERT_EQ(uv_fs_stat(nullptr, &stat_req, "/data/f", nullptr), 0);
  EXPECT_EQ(stat_req.statbuf.st_size, 7u);
  uv_fs_req_cleanup(&stat_req);
}

TEST_P(UvLoopTest, SyncFsErrorsAreNegativeErrnoCodes) {
  uv_fs_t req;
  EXPECT_EQ(uv_fs_open(nullptr, &req, "/no/such/file", O_RDONLY, 0, nullptr), UV_ENOENT);
  EXPECT_EQ(req.result, UV_ENOENT);
  uv_fs_req_cleanup(&req);
}

TEST_P(UvLoopTest, QueuedWorkCanBeCancelledAndItsCallbackSaysSo) {
  constexpr int kRequests = 6;  // more than the 4 workers: the last two wait in the queue
  static std::vector<int> statuses;
  static int worked;
  statuses.clear();
  worked = 0;
  uv_work_t reqs[kRequests];
  for (uv_work_t& r : reqs) {
    ASSERT_EQ(uv_queue_work(&loop_, &r, [](uv_work_t*) { ++worked; },
                            [](uv_work_t*, int status) { statuses.push_back(status); }), 0);
  }
  EXPECT_EQ(uv_cancel(reinterpret_cast<uv_req_t*>(&reqs[0])), UV_EBUSY);  // already running
  EXPECT_EQ(uv_cancel(reinterpret_cast<uv_req_t*>(&reqs[5])), 0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(worked, kRequests - 1);
  ASSERT_EQ(statuses.size(), static_cast<size_t>(kRequests));
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), UV_ECANCELED), 1);
}

TEST_P(UvLoopTest, WalkVisitsEveryHandleButTheLoopsOwn) {
  uv_timer_t t;
  uv_check_t c;
  uv_timer_init(&loop_, &t);
  uv_check_init(&loop_, &c);
  static int visited;
  visited = 0;
  uv_walk(&loop_, [](uv_handle_t*, void*) { ++visited; }, nullptr);
  EXPECT_EQ(visited, 2);
  uv_close((uv_handle_t*)&t, nullptr);
  uv_close((uv_handle_t*)&c, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
}

// The host's wake-ups (host_callbacks.h): a program of two timers, the second started 2 ms after the
// first fires, run with a host that is never woken and then with one that is sent to from the first
// timer's callback and starts a delayed task of 0 ms and one of 1 ms from its async callback. The host's callbacks run (at the start
// of poll phases), yet the trace, the decisions, the loop's iterations and the program's order are the
// program's alone, as if the host had never been there.
struct HostRun {
  std::vector<std::string> log;
  uint64_t trace_hash = 0;
  uint64_t trace_events = 0;
  size_t decisions = 0;
  int host_asyncs = 0;
  int host_timers = 0;
};

HostRun* g_host_run = nullptr;
uv_async_t* g_host_async = nullptr;

void HostTimerCb(uv_timer_t* t) {
  ++g_host_run->host_timers;
  uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void HostAsyncCb(uv_async_t* a) {
  ++g_host_run->host_asyncs;
  for (uint64_t delay_ms : {0, 1}) {
    auto* t = new uv_timer_t;
    uv_timer_init(a->loop, t);
    uv_timer_start(t, HostTimerCb, delay_ms, 0);
    uv_unref(reinterpret_cast<uv_handle_t*>(t));
  }
}

// A seed's simulation on `backend`, with a loop of its own initialised.
void StartSimulation(uint64_t seed, const std::string& backend, uv_loop_t* loop) {
  runtime::RuntimeOptions options;
  options.kernel.seed = seed;
  options.backend = backend;
  runtime::Runtime::Start(std::move(options));
  uv_loop_init(loop);
}

HostRun RunWithHost(uint64_t seed, const std::string& backend, bool host) {
  HostRun run;
  g_host_run = &run;
  uv::SetHostCallbacks({HostAsyncCb, HostTimerCb});
  uv_loop_t loop;
  StartSimulation(seed, backend, &loop);
  // The host's async handle exists either way (node's platform makes it while booting).
  uv_async_t async;
  uv_async_init(&loop, &async, HostAsyncCb);
  uv_unref(reinterpret_cast<uv_handle_t*>(&async));
  g_host_async = &async;
  static uv_timer_t first, second;
  uv_timer_init(&loop, &first);
  uv_timer_init(&loop, &second);
  loop.data = &host;
  uv_timer_start(&first, [](uv_timer_t* t) {
    g_host_run->log.push_back("first");
    if (*static_cast<bool*>(t->loop->data)) uv_async_send(g_host_async);
    uv_timer_start(&second, [](uv_timer_t*) { g_host_run->log.push_back("second"); }, 2, 0);
  }, 5, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  run.trace_hash = runtime::Runtime::Get().trace().hash();
  run.trace_events = runtime::Runtime::Get().trace().events();
  run.decisions = runtime::Runtime::Get().kernel().chooser().log().size();
  uv_close(reinterpret_cast<uv_handle_t*>(&first), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&second), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&async), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  runtime::Runtime::Shutdown();
  uv::SetHostCallbacks({});
  g_host_run = nullptr;
  return run;
}

TEST_P(UvLoopTest, TheHostsWakeUpsRunButLeaveNoTraceDecisionOrIteration) {
  uv_loop_close(&loop_);
  loop_open_ = false;
  runtime::Runtime::Shutdown();
  const HostRun alone = RunWithHost(3, GetParam(), false);
  const HostRun with_host = RunWithHost(3, GetParam(), true);
  StartRuntime(1);
  EXPECT_EQ(with_host.host_asyncs, 1);
  EXPECT_EQ(with_host.host_timers, 2);
  EXPECT_EQ(alone.log, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(with_host.log, alone.log);
  EXPECT_EQ(with_host.trace_events, alone.trace_events);
  EXPECT_EQ(with_host.trace_hash, alone.trace_hash);
  EXPECT_EQ(with_host.decisions, alone.decisions);
}

// A small workload whose completion order depends on the seed.
uint64_t WorkloadTraceHash(uint64_t seed, const std::string& backend) {
  uv_loop_t loop;
  StartSimulation(seed, backend, &loop);
  uv_work_t reqs[8];
  uv_timer_t timers[4];
  for (uv_work_t& r : reqs) uv_queue_work(&loop, &r, [](uv_work_t*) {}, [](uv_work_t*, int) {});
  for (int i = 0; i < 4; ++i) {
    uv_timer_init(&loop, &timers[i]);
    uv_timer_start(&timers[i], [](uv_timer_t* t) { uv_close((uv_handle_t*)t, nullptr); }, static_cast<uint64_t>(i), 0);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  const uint64_t hash = runtime::Runtime::Get().trace().hash();
  runtime::Runtime::Shutdown();
  return hash;
}

class UvDeterminism : public ::testing::TestWithParam<std::string> {};

TEST_P(UvDeterminism, SameSeedSameTraceAndSeedsDiffer) {
  const uint64_t a = WorkloadTraceHash(7, GetParam());
  EXPECT_EQ(a, WorkloadTraceHash(7, GetParam()));
  bool some_differ = false;
  for (uint64_t seed = 0; seed < 10; ++seed) some_differ |= WorkloadTraceHash(seed, GetParam()) != a;
  EXPECT_TRUE(some_differ);
}

INSTANTIATE_TEST_SUITE_P(Backends, UvLoopTest, ::testing::ValuesIn(Backends()), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, UvDeterminism, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace loopsim
