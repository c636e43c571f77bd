// The simulated libuv under each libuv version it follows (runtime/uv/version.h): every behaviour that
// changed between 1.44 and 1.52 runs under 1.44.2, the versions on either side of its change and
// 1.52.1, through the uv API directly, and each test states what a program sees under each. A test
// fails if its version gate is removed or inverted: the versions on either side of the change expect
// different things. Unless a test says otherwise it runs on every backend personality.
//
// The last tests run libuv workloads under 1.44 and 1.52 through the invariant monitor
// (sim/invariants.h), which must find nothing wrong with either order of the phases, and must still
// catch a broken loop (the test-only mutations) under 1.52's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/simulation.h"
#include "runtime/uv/uv_compat.h"
#include "sim/invariants.h"
#include "tests/support/backends.h"
#include "tests/support/files.h"
#include "tests/support/uv_loop.h"

namespace loopsim {
namespace {

using testing::Backends;
using testing::CloseLoop;
using testing::Slurp;

constexpr uint32_t V(uint32_t major, uint32_t minor, uint32_t patch) { return (major << 16) | (minor << 8) | patch; }

std::string Name(uint32_t v) {
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

// Runs `body` as a simulation under the libuv version and backend.
void Sim(uint32_t version, const std::string& backend, const std::function<void()>& body,
         const std::string& trace_path = "") {
  SimulationOptions options;
  options.seed = 1;
  options.backend = backend;
  options.libuv_version = version;
  options.trace_path = trace_path;
  Simulate(options, body);
}

// Runs `body` on a fresh loop in a simulation under the libuv version and backend. The body owns the
// handles it makes on the loop, so it ends the loop itself (CloseLoop) while they still exist.
void SimOnLoop(uint32_t version, const std::string& backend, const std::function<void(uv_loop_t*)>& body) {
  Sim(version, backend, [&] {
    uv_loop_t loop;
    ASSERT_EQ(uv_loop_init(&loop), 0);
    body(&loop);
  });
}

uv_handle_t* H(void* handle) { return static_cast<uv_handle_t*>(handle); }

// What the loop's callbacks log, and the loop's iteration count as a check handle sees it: every
// iteration runs its check phase once, in either order of the phases, so what happens in a poll phase
// and the pending runs right after it is logged with that iteration's count.
struct World {
  uv_loop_t loop;
  uv_check_t counter;
  int iteration = 0;
  std::vector<std::string> log;

  static World* Of(const uv_loop_t* loop) { return static_cast<World*>(loop->data); }
  static World* Of(const void* handle) { return Of(static_cast<const uv_handle_t*>(handle)->loop); }
  void Log(const std::string& what) { log.push_back(what); }
  void LogAt(const std::string& what) { log.push_back(what + "@" + std::to_string(iteration)); }

  void Init() {
    ASSERT_EQ(uv_loop_init(&loop), 0);
    loop.data = this;
    uv_check_init(&loop, &counter);
    uv_check_start(&counter, [](uv_check_t* c) { ++Of(c)->iteration; });
    uv_unref(H(&counter));
  }
};

// --- uv_run: where the timers run --------------------------------------------------------------------

// An unreferenced timer started by the last callback of a loop, due at once: from 1.45 the timers
// that end the iteration run it before the loop finds itself dead; up to 1.44 the loop ends first.
// (Real Node shows it too: the machine's Node 20 prints such a timer's output, Debian's Node 18 not.)
bool UnreferencedTimerFires(uint32_t version, const std::string& backend) {
  World w;
  static uv_timer_t timer;
  Sim(version, backend, [&] {
    w.Init();
    uv_timer_init(&w.loop, &timer);
    static uv_work_t work;
    uv_queue_work(
        &w.loop, &work, [](uv_work_t*) {},
        [](uv_work_t* req, int) {
          uv_timer_start(
              &timer, [](uv_timer_t* t) { World::Of(t)->Log("timer"); }, 0, 0);
          uv_unref(H(&timer));
        });
    uv_run(&w.loop, UV_RUN_DEFAULT);
    CloseLoop(&w.loop);
  });
  return w.log == std::vector<std::string>{"timer"};
}

TEST(UvVersion, AnUnreferencedTimerDueAfterTheLastCallbackFiresFrom1_45) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
      EXPECT_EQ(UnreferencedTimerFires(v, backend), v >= V(1, 45, 0)) << Name(v) << " " << backend;
    }
  }
}

// One UV_RUN_NOWAIT or UV_RUN_ONCE run with a due timer and idle, prepare and check watchers: up to
// 1.44 the iteration begins with the timers, from 1.45 it ends with them.
std::vector<std::string> OneRun(uint32_t version, const std::string& backend, uv_run_mode mode) {
  World w;
  Sim(version, backend, [&] {
    w.Init();
    static uv_timer_t timer;
    static uv_idle_t idle;
    static uv_prepare_t prepare;
    static uv_check_t check;
    uv_timer_init(&w.loop, &timer);
    uv_idle_init(&w.loop, &idle);
    uv_prepare_init(&w.loop, &prepare);
    uv_check_init(&w.loop, &check);
    uv_timer_start(
        &timer, [](uv_timer_t* h) { World::Of(h)->Log("timer"); }, 0, 0);
    uv_idle_start(&idle, [](uv_idle_t* h) { World::Of(h)->Log("idle"); });
    uv_prepare_start(&prepare, [](uv_prepare_t* h) { World::Of(h)->Log("prepare"); });
    uv_check_start(&check, [](uv_check_t* h) { World::Of(h)->Log("check"); });
    uv_run(&w.loop, mode);
    CloseLoop(&w.loop);
  });
  return w.log;
}

TEST(UvVersion, NowaitAndOnceRunTheTimersFirstUpTo1_44AndLastFrom1_45) {
  const std::vector<std::string> first = {"timer", "idle", "prepare", "check"};
  const std::vector<std::string> last = {"idle", "prepare", "check", "timer"};
  for (const std::string& backend : Backends()) {
    for (uv_run_mode mode : {UV_RUN_NOWAIT, UV_RUN_ONCE}) {
      for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
        EXPECT_EQ(OneRun(v, backend, mode), v >= V(1, 45, 0) ? last : first)
            << Name(v) << " " << backend << " mode " << mode;
      }
    }
  }
}

// UV_RUN_DEFAULT's timers before the first iteration: 1.45.0 ran them even when the loop was stopped
// or had nothing referenced; from 1.46 they need a live loop, and up to 1.44 there were none.
bool DueTimerFiresInADeadOrStoppedRun(uint32_t version, const std::string& backend, bool stopped) {
  World w;
  Sim(version, backend, [&] {
    w.Init();
    static uv_timer_t timer;
    uv_timer_init(&w.loop, &timer);
    uv_timer_start(
        &timer, [](uv_timer_t* h) { World::Of(h)->Log("timer"); }, 0, 0);
    if (stopped) {
      uv_stop(&w.loop);
    } else {
      uv_unref(H(&timer));
    }
    uv_run(&w.loop, UV_RUN_DEFAULT);
    uv_timer_stop(&timer);
    CloseLoop(&w.loop);
  });
  return !w.log.empty();
}

TEST(UvVersion, TimersBeforeTheFirstIterationNeedALiveUnstoppedLoopFrom1_46) {
  for (const std::string& backend : Backends()) {
    for (bool stopped : {true, false}) {
      for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 46, 0), V(1, 52, 1)}) {
        EXPECT_EQ(DueTimerFiresInADeadOrStoppedRun(v, backend, stopped), v == V(1, 45, 0))
            << Name(v) << " " << backend << (stopped ? " stopped" : " unreferenced");
      }
    }
  }
}

// --- timers: batches ---------------------------------------------------------------------------------

struct TimerPair {
  uv_timer_t a, b;
  int a_runs = 0, b_runs = 0;
  std::function<void(TimerPair&)> on_a;
};

// Timers a and b due in one run (a first); a's callback does what the test says. Returns b's runs in
// that one UV_RUN_NOWAIT run, and a's.
std::pair<int, int> RunsInOneRun(uint32_t version, const std::string& backend, std::function<void(TimerPair&)> on_a) {
  static TimerPair pair;
  pair.a_runs = pair.b_runs = 0;
  pair.on_a = std::move(on_a);
  World w;
  Sim(version, backend, [&] {
    w.Init();
    uv_timer_init(&w.loop, &pair.a);
    uv_timer_init(&w.loop, &pair.b);
    uv_timer_start(
        &pair.a,
        [](uv_timer_t*) {
          ++pair.a_runs;
          pair.on_a(pair);
        },
        0, 0);
    uv_timer_start(
        &pair.b, [](uv_timer_t*) { ++pair.b_runs; }, 0, 0);
    uv_run(&w.loop, UV_RUN_NOWAIT);
    CloseLoop(&w.loop);
  });
  return {pair.a_runs, pair.b_runs};
}

TEST(UvVersion, ATimerReArmedToBeDueAtOnceWaitsForTheNextRunFrom1_48) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 47, 0), V(1, 48, 0), V(1, 52, 1)}) {
      const bool batches = v >= V(1, 48, 0);
      // a re-arms itself with 0, up to three runs.
      auto self = RunsInOneRun(v, backend, [](TimerPair& p) {
        if (p.a_runs < 3) uv_timer_start(&p.a, p.a.timer_cb, 0, 0);
      });
      EXPECT_EQ(self.first, batches ? 1 : 3) << Name(v) << " " << backend;
      // a restarts b, which was due already: before 1.48 b runs once, from the heap; from 1.48 the
      // restart takes it off the collected batch and it waits.
      auto other = RunsInOneRun(v, backend, [](TimerPair& p) { uv_timer_start(&p.b, p.b.timer_cb, 0, 0); });
      EXPECT_EQ(other.second, batches ? 0 : 1) << Name(v) << " " << backend;
    }
  }
}

TEST(UvVersion, ATimerAnEarlierCallbackStopsOrClosesDoesNotRunInAnyVersion) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 48, 0), V(1, 52, 1)}) {
      EXPECT_EQ(RunsInOneRun(v, backend, [](TimerPair& p) { uv_timer_stop(&p.b); }).second, 0) << Name(v);
      EXPECT_EQ(RunsInOneRun(v, backend, [](TimerPair& p) { uv_close(H(&p.b), nullptr); }).second, 0) << Name(v);
    }
  }
}

// --- streams ---------------------------------------------------------------------------------------

constexpr int kPort = 7450;

sockaddr_in Loopback() {
  sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", kPort, &addr);
  return addr;
}

void AllocBuffer(uv_handle_t*, size_t suggested, uv_buf_t* buf) {
  static char storage[64 * 1024];
  *buf = uv_buf_init(storage, static_cast<unsigned>(std::min(suggested, sizeof(storage))));
}

// A TCP listener on 127.0.0.1 that accepts into `accepted`, calling `on_accept` for each.
struct Server {
  uv_tcp_t listener;
  uv_tcp_t accepted[8];
  int count = 0;
  std::function<void(uv_tcp_t*)> on_accept;
};

Server* g_server = nullptr;

// Starts a fresh server (it replaces the one before: a test simulates one at a time).
void Listen(uv_loop_t* loop, std::function<void(uv_tcp_t*)> on_accept = nullptr) {
  static Server server;
  server = Server();
  server.on_accept = std::move(on_accept);
  g_server = &server;
  uv_tcp_init(loop, &server.listener);
  const sockaddr_in addr = Loopback();
  ASSERT_EQ(uv_tcp_bind(&server.listener, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
  ASSERT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&server.listener), 16,
                      [](uv_stream_t* s, int status) {
                        ASSERT_EQ(status, 0);
                        uv_tcp_t* conn = &g_server->accepted[g_server->count++];
                        uv_tcp_init(s->loop, conn);
                        ASSERT_EQ(uv_accept(s, reinterpret_cast<uv_stream_t*>(conn)), 0);
                        World::Of(s)->LogAt("accept");
                        if (g_server->on_accept) g_server->on_accept(conn);
                      }),
            0);
}

// A client connecting to the server on 127.0.0.1; `on_connect` runs when it has.
void ConnectToServer(uv_loop_t* loop, uv_tcp_t* client, uv_connect_t* req,
                     uv_connect_cb on_connect = [](uv_connect_t*, int) {}) {
  const sockaddr_in addr = Loopback();
  uv_tcp_init(loop, client);
  ASSERT_EQ(uv_tcp_connect(req, client, reinterpret_cast<const sockaddr*>(&addr), on_connect), 0);
}

// Twelve writes queued behind a loopback connect. Up to 1.44 each write attempt completes one request
// and feeds the stream to the pending queue, which libuv runs up to 8 more times right after the poll,
// so the requests spread over two iterations; from 1.45 one attempt goes on to the next request and
// completes all 12.
// How many the first iteration takes depends on where the first attempt runs. On epoll and kqueue the
// connect callback runs in a poll phase and the next poll reports the socket writable: that poll's
// attempt and the 8 runs after it complete 9 requests, the next iteration 3. On iocp the handshake is
// over inside ConnectEx (loopback delivers it inside the call, as Linux does), so the connect completes
// on the pending queue, its callback runs in the pending phase, and the writes it leaves are issued
// there and complete at once, on the pending queue again: the first attempt is the first of the runs
// after the poll, which complete 8, the next iteration 4.
std::vector<std::string> WritesQueuedBehindAConnect(uint32_t version, const std::string& backend) {
  World w;
  Sim(version, backend, [&] {
    w.Init();
    Listen(&w.loop);
    static uv_tcp_t client;
    static uv_connect_t connect;
    static uv_write_t writes[12];
    static char text[] = "0123456789";
    ConnectToServer(&w.loop, &client, &connect,
                    [](uv_connect_t* req, int status) { World::Of(req->handle)->LogAt("connect"); });
    for (uv_write_t& req : writes) {
      const uv_buf_t buf = uv_buf_init(text, 10);
      ASSERT_EQ(uv_write(&req, reinterpret_cast<uv_stream_t*>(&client), &buf, 1,
                         [](uv_write_t* r, int status) {
                           World::Of(r->handle)->LogAt("write");
                           if (r != &writes[11]) return;
                           uv_close(H(r->handle), nullptr);
                           uv_close(H(&g_server->listener), nullptr);
                         }),
                0);
    }
    uv_run(&w.loop, UV_RUN_DEFAULT);
    CloseLoop(&w.loop);
  });
  // Only the iterations of the write callbacks, relative to the first.
  std::vector<std::string> writes;
  int first = -1;
  for (const std::string& e : w.log) {
    if (e.rfind("write@", 0) != 0) continue;
    const int at = std::stoi(e.substr(6));
    if (first < 0) first = at;
    writes.push_back("write+" + std::to_string(at - first));
  }
  return writes;
}

TEST(UvVersion, AWriteAttemptGoesOnToTheNextQueuedRequestFrom1_45) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
      std::vector<std::string> expected(12, "write+0");
      const int first_iteration = backend == "iocp" ? 8 : 9;
      if (v < V(1, 45, 0)) std::fill(expected.begin() + first_iteration, expected.end(), "write+1");
      EXPECT_EQ(WritesQueuedBehindAConnect(v, backend), expected) << Name(v) << " " << backend;
    }
  }
}

// Three connections waiting when the listener is first reported readable: loopback's handshakes are
// over inside the connects, before the loop first polls. On epoll and kqueue, up to 1.44 that wake-up
// accepts them all, from 1.45 one each, the next one when the next poll reports the listener readable
// again. The change is unix libuv's (src/unix/stream.c): Windows libuv keeps accepts issued and hands the
// connection callback one connection per completed accept in every version
// (src/win/tcp.c, uv__process_tcp_accept_req), so on iocp each connection completes its own accept when
// it connects and the first poll dequeues all three, under every version.

// Runs the loop until 50 ms from now, when the listener closes; returns the iterations of the accepts,
// relative to the first.
std::vector<int> RunAndTellAcceptIterations(World& w) {
  static uv_timer_t done;
  uv_timer_init(&w.loop, &done);
  uv_timer_start(
      &done, [](uv_timer_t* t) { uv_close(H(&g_server->listener), nullptr); }, 50, 0);
  uv_run(&w.loop, UV_RUN_DEFAULT);
  CloseLoop(&w.loop);
  std::vector<int> at;
  for (const std::string& e : w.log) {
    if (e.rfind("accept@", 0) == 0) at.push_back(std::stoi(e.substr(7)));
  }
  for (size_t i = 1; i < at.size(); ++i) at[i] -= at[0];
  if (!at.empty()) at[0] = 0;
  return at;
}

// A listener, `waiting` clients connecting before the loop starts, and on_accept (if any) called with
// each connection it accepts; returns the iterations of the accepts, relative to the first.
uv_tcp_t g_clients[3];
uv_connect_t g_connects[3];

std::vector<int> AcceptIterations(uint32_t version, const std::string& backend, int waiting,
                                  void (*on_accept)(uv_tcp_t*) = nullptr) {
  World w;
  std::vector<int> at;
  Sim(version, backend, [&] {
    w.Init();
    Listen(&w.loop, on_accept);
    for (int i = 0; i < waiting; ++i) ConnectToServer(&w.loop, &g_clients[i], &g_connects[i]);
    at = RunAndTellAcceptIterations(w);
  });
  return at;
}

TEST(UvVersion, AListenerAcceptsOneConnectionPerWakeupFrom1_45) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
      const bool one_per_wakeup = v >= V(1, 45, 0) && backend != "iocp";
      const std::vector<int> expected = one_per_wakeup ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 0, 0};
      EXPECT_EQ(AcceptIterations(v, backend, 3), expected) << Name(v) << " " << backend;
    }
  }
}

// One connection waits when the loop starts; the connection callback that accepts it connects a second
// client, whose handshake loopback completes inside uv_tcp_connect, so the second connection waits in
// the accept queue before the callback returns. Up to 1.44 the accept loop goes on: epoll's accepts it
// in the same callback, but kqueue's stops after as many connections as kevent counted when it reported
// the listener (libuv keeps that count as the watcher's rcount, src/unix/kqueue.c), so the second waits
// for the next report. From 1.45 every unix personality accepts one per report. On iocp the second
// connection completes an accept of its own, which the next poll dequeues, in every version.
void ConnectASecondClientOnTheFirstAccept(uv_tcp_t* conn) {
  if (g_server->count == 1) ConnectToServer(conn->loop, &g_clients[1], &g_connects[1]);
}

TEST(UvVersion, AConnectionMadeDuringTheAcceptIsTakenInTheSameWakeupOnlyUpTo1_44OnEpoll) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
      const bool same_wakeup = v < V(1, 45, 0) && backend == "epoll";
      const std::vector<int> expected = same_wakeup ? std::vector<int>{0, 0} : std::vector<int>{0, 1};
      EXPECT_EQ(AcceptIterations(v, backend, 1, ConnectASecondClientOnTheFirstAccept), expected)
          << Name(v) << " " << backend;
    }
  }
}

// The client shuts down its side; the server answers the end of file with a few bytes and closes, so
// the client's socket reports data and hang-up together. Up to 1.51 a short read after a hang-up ends
// the stream in the same callback; from 1.52 the end of file comes from the next read, an iteration
// later. Only epoll reports the hang-up: on kqueue (EV_EOF is readability) and iocp the end of file
// always comes from a read.
std::vector<std::string> DataAndHangup(uint32_t version, const std::string& backend) {
  World w;
  Sim(version, backend, [&] {
    w.Init();
    Listen(&w.loop, [](uv_tcp_t* conn) {
      uv_read_start(reinterpret_cast<uv_stream_t*>(conn), AllocBuffer, [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
        if (n != UV_EOF) return;
        static uv_write_t reply;
        static char text[] = "hello";
        const uv_buf_t buf = uv_buf_init(text, 5);
        uv_write(&reply, s, &buf, 1, nullptr);
        uv_close(H(s), nullptr);
      });
    });
    static uv_tcp_t client;
    static uv_connect_t connect;
    ConnectToServer(&w.loop, &client, &connect, [](uv_connect_t* req, int) {
      static uv_shutdown_t shutdown;
      uv_shutdown(&shutdown, req->handle, nullptr);
      uv_read_start(req->handle, AllocBuffer, [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
        if (n > 0) World::Of(s)->LogAt("data");
        if (n == UV_EOF) {
          World::Of(s)->LogAt("eof");
          uv_close(H(s), nullptr);
          uv_close(H(&g_server->listener), nullptr);
        }
      });
    });
    uv_run(&w.loop, UV_RUN_DEFAULT);
    CloseLoop(&w.loop);
  });
  return w.log;
}

TEST(UvVersion, DataWithAHangupEndsTheStreamAfterTheNextReadFrom1_52) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 51, 0), V(1, 52, 0)}) {
      std::vector<std::string> log = DataAndHangup(v, backend);
      std::vector<std::string> client;
      for (const std::string& e : log) {
        if (e.rfind("data@", 0) == 0 || e.rfind("eof@", 0) == 0) client.push_back(e);
      }
      ASSERT_EQ(client.size(), 2u) << Name(v) << " " << backend;
      const int data_at = std::stoi(client[0].substr(5));
      const int eof_at = std::stoi(client[1].substr(4));
      const bool same_callback = backend == "epoll" && v < V(1, 52, 0);
      EXPECT_EQ(eof_at - data_at, same_callback ? 0 : 1) << Name(v) << " " << backend;
    }
  }
}

// A write of more than 1024 * 1024 buffers (all empty here): refused from 1.52, written before.
int HugeTryWrite(uint32_t version) {
  static int result;
  result = 1;
  World w;
  Sim(version, "epoll", [&] {
    w.Init();
    Listen(&w.loop);
    static uv_tcp_t client;
    static uv_connect_t connect;
    ConnectToServer(&w.loop, &client, &connect, [](uv_connect_t* req, int) {
      static char byte;
      std::vector<uv_buf_t> bufs(1024 * 1024 + 1, uv_buf_init(&byte, 0));
      result = uv_try_write(req->handle, bufs.data(), static_cast<unsigned>(bufs.size()));
      uv_close(H(req->handle), nullptr);
      uv_close(H(&g_server->listener), nullptr);
    });
    uv_run(&w.loop, UV_RUN_DEFAULT);
    CloseLoop(&w.loop);
  });
  return result;
}

TEST(UvVersion, WritesOfOverAMillionBuffersAreRefusedFrom1_52) {
  EXPECT_EQ(HugeTryWrite(V(1, 51, 0)), 0);
  EXPECT_EQ(HugeTryWrite(V(1, 52, 0)), UV_EINVAL);
}

// --- pipe names ------------------------------------------------------------------------------------

// Binds a pipe to `name` (namelen bytes, through uv_pipe_bind2, or uv_pipe_bind when namelen is -1)
// and reads its name back: the bind's result, then the name (or the getsockname error).
std::pair<int, std::string> BindAndName(uint32_t version, const std::string& backend, const std::string& name,
                                        bool through_bind2, unsigned flags = 0) {
  std::pair<int, std::string> out;
  SimOnLoop(version, backend, [&](uv_loop_t* loop) {
    uv_pipe_t pipe;
    uv_pipe_init(loop, &pipe, 0);
    out.first =
        through_bind2 ? uv_pipe_bind2(&pipe, name.data(), name.size(), flags) : uv_pipe_bind(&pipe, name.c_str());
    if (out.first == 0) {
      char buffer[256];
      size_t size = sizeof(buffer);
      const int err = uv_pipe_getsockname(&pipe, buffer, &size);
      out.second = err == 0 ? std::string(buffer, size) : "error " + std::to_string(err);
    }
    CloseLoop(loop);
  });
  return out;
}

TEST(UvVersion, LongPipeNamesKeep107BytesUpTo1_45And108From1_46) {
  const std::string name = "/tmp/" + std::string(200, 'p');
  for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 46, 0), V(1, 52, 1)}) {
    const auto [err, bound] = BindAndName(v, "epoll", name, false);
    EXPECT_EQ(err, 0) << Name(v);
    EXPECT_EQ(bound, name.substr(0, v >= V(1, 46, 0) ? 108 : 107)) << Name(v);
  }
  // uv_pipe_bind2 refuses a name that does not fit when told not to cut it.
  EXPECT_EQ(BindAndName(V(1, 52, 1), "epoll", name, true, UV_PIPE_NO_TRUNCATE).first, UV_EINVAL);
}

TEST(UvVersion, PipeNamesWithANulAfterTheFirstByteAreRefusedFrom1_48) {
  const std::string name("/tmp/a\0b", 8);
  for (uint32_t v : {V(1, 46, 0), V(1, 47, 0), V(1, 48, 0), V(1, 52, 1)}) {
    const auto [err, bound] = BindAndName(v, "epoll", name, true);
    if (v >= V(1, 48, 0)) {
      EXPECT_EQ(err, UV_EINVAL) << Name(v);
    } else {
      EXPECT_EQ(err, 0) << Name(v);
      EXPECT_EQ(bound, "/tmp/a") << Name(v);  // the path ends at its NUL
    }
  }
}

TEST(UvVersion, AbstractPipeNamesFillSunPathBefore1_48AndMayHoldNulsFrom1_51) {
  const std::string plain("\0abc", 4);
  for (uint32_t v : {V(1, 46, 0), V(1, 47, 0), V(1, 48, 0), V(1, 52, 1)}) {
    const auto [err, bound] = BindAndName(v, "epoll", plain, true);
    EXPECT_EQ(err, 0) << Name(v);
    EXPECT_EQ(bound, v >= V(1, 48, 0) ? plain : plain + std::string(104, '\0')) << Name(v);
  }
  const std::string with_nul("\0a\0b", 4);
  for (uint32_t v : {V(1, 47, 0), V(1, 48, 0), V(1, 50, 0), V(1, 51, 0)}) {
    const bool refused = v >= V(1, 48, 0) && v < V(1, 51, 0);
    EXPECT_EQ(BindAndName(v, "epoll", with_nul, true).first, refused ? UV_EINVAL : 0) << Name(v);
  }
  // The abstract namespace is Linux's: the other personalities refuse such names in every version.
  for (const char* backend : {"kqueue", "iocp"}) {
    for (uint32_t v : {V(1, 46, 0), V(1, 52, 1)}) EXPECT_EQ(BindAndName(v, backend, plain, true).first, UV_EINVAL);
  }
}

TEST(UvVersion, BindingAPipeToAnEmptyNameAutobindsFrom1_49) {
  for (uint32_t v : {V(1, 46, 0), V(1, 48, 0), V(1, 49, 0), V(1, 52, 1)}) {
    const auto [err, bound] = BindAndName(v, "epoll", "", true);
    if (v >= V(1, 49, 0)) {
      EXPECT_EQ(err, 0) << Name(v);
      EXPECT_EQ(bound, std::string("\0"
                                   "00000",
                                   6))
          << Name(v);
    } else {
      EXPECT_EQ(err, UV_EINVAL) << Name(v);
    }
  }
  EXPECT_EQ(BindAndName(V(1, 52, 1), "kqueue", "", true).first, UV_EINVAL);
}

// uv_pipe_connect to an empty name: 1.44 connects to the abstract name of 108 NULs (nobody listens:
// refused); 1.46 and 1.47 dropped uv_pipe_connect2's refusal, so no callback ever comes; from 1.48
// the callback reports it.
std::vector<int> ConnectToAnEmptyName(uint32_t version) {
  std::vector<int> statuses;
  static std::vector<int>* out;
  out = &statuses;
  SimOnLoop(version, "epoll", [&](uv_loop_t* loop) {
    uv_pipe_t pipe;
    uv_pipe_init(loop, &pipe, 0);
    uv_connect_t req;
    uv_pipe_connect(&req, &pipe, "", [](uv_connect_t*, int status) { out->push_back(status); });
    uv_run(loop, UV_RUN_DEFAULT);
    CloseLoop(loop);
  });
  return statuses;
}

TEST(UvVersion, AConnectToAnEmptyPipeNameReportsItsErrorExceptIn1_46And1_47) {
  EXPECT_EQ(ConnectToAnEmptyName(V(1, 44, 2)), std::vector<int>{UV_ECONNREFUSED});
  EXPECT_EQ(ConnectToAnEmptyName(V(1, 46, 0)), std::vector<int>{});
  EXPECT_EQ(ConnectToAnEmptyName(V(1, 47, 0)), std::vector<int>{});
  EXPECT_EQ(ConnectToAnEmptyName(V(1, 48, 0)), std::vector<int>{UV_EINVAL});
  EXPECT_EQ(ConnectToAnEmptyName(V(1, 52, 1)), std::vector<int>{UV_EINVAL});
}

// getsockname with no room, and an abstract name in a buffer exactly its size.
TEST(UvVersion, BufferArgumentsAreCheckedAndAbstractNamesNeedNoNulFrom1_50) {
  for (uint32_t v : {V(1, 49, 0), V(1, 50, 0)}) {
    SimOnLoop(v, "epoll", [&](uv_loop_t* loop) {
      uv_pipe_t pipe;
      uv_pipe_init(loop, &pipe, 0);
      ASSERT_EQ(uv_pipe_bind2(&pipe, "\0abc", 4, 0), 0);
      char buffer[4];
      size_t size = 0;
      EXPECT_EQ(uv_pipe_getsockname(&pipe, buffer, &size), v >= V(1, 50, 0) ? UV_EINVAL : UV_ENOBUFS) << Name(v);
      size = 4;
      EXPECT_EQ(uv_pipe_getsockname(&pipe, buffer, &size), v >= V(1, 50, 0) ? 0 : UV_ENOBUFS) << Name(v);
      EXPECT_EQ(size, v >= V(1, 50, 0) ? 4u : 5u) << Name(v);
      // uv_fs_event_getpath and uv_fs_poll_getpath have the same rule for a zero size.
      uv_fs_event_t watch;
      uv_fs_event_init(loop, &watch);
      ASSERT_EQ(uv_fs_event_start(
                    &watch, [](uv_fs_event_t*, const char*, int, int) {}, "/tmp", 0),
                0);
      size = 0;
      EXPECT_EQ(uv_fs_event_getpath(&watch, buffer, &size), v >= V(1, 50, 0) ? UV_EINVAL : UV_ENOBUFS) << Name(v);
      uv_fs_poll_t poll;
      uv_fs_poll_init(loop, &poll);
      ASSERT_EQ(uv_fs_poll_start(
                    &poll, [](uv_fs_poll_t*, int, const uv_stat_t*, const uv_stat_t*) {}, "/tmp", 100),
                0);
      size = 0;
      EXPECT_EQ(uv_fs_poll_getpath(&poll, buffer, &size), v >= V(1, 50, 0) ? UV_EINVAL : UV_ENOBUFS) << Name(v);
      CloseLoop(loop);
    });
  }
}

// --- TCP -------------------------------------------------------------------------------------------

TEST(UvVersion, KeepAliveWithAZeroDelayIsRefusedWithEpermIn1_48AndEinvalOtherwise) {
  for (uint32_t v : {V(1, 44, 2), V(1, 47, 0), V(1, 48, 0), V(1, 49, 0), V(1, 52, 1)}) {
    SimOnLoop(v, "epoll", [&](uv_loop_t* loop) {
      uv_tcp_t tcp;
      uv_tcp_init(loop, &tcp);
      EXPECT_EQ(uv_tcp_keepalive(&tcp, 1, 0), 0) << "no socket yet: only the flag is kept";
      const sockaddr_in addr = Loopback();
      ASSERT_EQ(uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
      EXPECT_EQ(uv_tcp_keepalive(&tcp, 1, 0), v == V(1, 48, 0) ? UV_EPERM : UV_EINVAL) << Name(v);
      EXPECT_EQ(uv_tcp_keepalive(&tcp, 1, 60), 0);
      EXPECT_EQ(uv_tcp_keepalive(&tcp, 0, 0), 0);
      CloseLoop(loop);
    });
  }
}

TEST(UvVersion, ReusePortFlagsExistFrom1_49AndShareAPortOnLinuxOnly) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 48, 0), V(1, 49, 0)}) {
      SimOnLoop(v, backend, [&](uv_loop_t* loop) {
        const sockaddr_in addr = Loopback();
        uv_udp_t udp;
        uv_udp_init(loop, &udp);
        uv_tcp_t tcp;
        uv_tcp_init(loop, &tcp);
        const int udp_err = uv_udp_bind(&udp, reinterpret_cast<const sockaddr*>(&addr), UV_UDP_REUSEPORT);
        const int tcp_err = uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), UV_TCP_REUSEPORT);
        if (v < V(1, 49, 0)) {
          EXPECT_EQ(udp_err, UV_EINVAL) << "an unknown UDP flag";
          EXPECT_EQ(tcp_err, 0) << "an unknown TCP flag is ignored";
        } else {
          EXPECT_EQ(udp_err, backend == "epoll" ? 0 : UV_ENOTSUP) << backend;
          EXPECT_EQ(tcp_err, backend == "epoll" ? 0 : UV_ENOTSUP) << backend;
        }
        CloseLoop(loop);
      });
    }
  }
}

// --- fs ----------------------------------------------------------------------------------------------

// Sets a file's times through uv_fs_utime and reads them back: the result and st_mtim's nanoseconds.
std::pair<int, uv_stat_t> Utime(uint32_t version, double atime, double mtime) {
  std::pair<int, uv_stat_t> out;
  Sim(version, "epoll", [&] {
    uv_fs_t req;
    const int fd = uv_fs_open(nullptr, &req, "/tmp/f", O_WRONLY | O_CREAT, 0644, nullptr);
    uv_fs_req_cleanup(&req);
    uv_fs_close(nullptr, &req, fd, nullptr);
    uv_fs_req_cleanup(&req);
    out.first = uv_fs_utime(nullptr, &req, "/tmp/f", atime, mtime, nullptr);
    uv_fs_req_cleanup(&req);
    uv_fs_stat(nullptr, &req, "/tmp/f", nullptr);
    out.second = req.statbuf;
    uv_fs_req_cleanup(&req);
  });
  return out;
}

TEST(UvVersion, FileTimesKeepNanosecondsFrom1_52) {
  const double t = 1.0 + std::ldexp(1.0, -20);  // 1 s + 953.674... ns
  for (uint32_t v : {V(1, 44, 2), V(1, 51, 0), V(1, 52, 0)}) {
    const auto [err, st] = Utime(v, t, t);
    ASSERT_EQ(err, 0);
    EXPECT_EQ(st.st_mtim.tv_sec, 1);
    EXPECT_EQ(st.st_mtim.tv_nsec, v >= V(1, 52, 0) ? 953 : 0) << Name(v);
  }
}

TEST(UvVersion, InfinityIsNowAndNanLeavesTheTimeFrom1_51) {
  for (uint32_t v : {V(1, 44, 2), V(1, 50, 0), V(1, 51, 0)}) {
    const auto [err, st] = Utime(v, INFINITY, NAN);
    if (v < V(1, 51, 0)) {
      EXPECT_EQ(err, UV_EINVAL) << Name(v);
    } else {
      EXPECT_EQ(err, 0);
      EXPECT_EQ(st.st_atim.tv_sec, st.st_ctim.tv_sec) << "now";
      EXPECT_EQ(st.st_mtim.tv_sec, st.st_birthtim.tv_sec) << "unchanged since the file was made";
    }
  }
}

// A copy made a second after its source: from 1.49 it has the source's access time (and, when no
// byte was written into it, its modification time).
TEST(UvVersion, CopiesKeepTheSourcesTimesFrom1_49) {
  for (uint32_t v : {V(1, 44, 2), V(1, 48, 0), V(1, 49, 0), V(1, 52, 1)}) {
    SimOnLoop(v, "epoll", [&](uv_loop_t* loop) {
      uv_fs_t req;
      for (const char* path : {"/tmp/empty", "/tmp/full"}) {
        const int fd = uv_fs_open(nullptr, &req, path, O_WRONLY | O_CREAT, 0644, nullptr);
        uv_fs_req_cleanup(&req);
        if (std::strcmp(path, "/tmp/full") == 0) {
          char text[] = "bytes";
          const uv_buf_t buf = uv_buf_init(text, 5);
          uv_fs_write(nullptr, &req, fd, &buf, 1, 0, nullptr);
          uv_fs_req_cleanup(&req);
        }
        uv_fs_close(nullptr, &req, fd, nullptr);
        uv_fs_req_cleanup(&req);
      }
      uv_timer_t later;
      uv_timer_init(loop, &later);
      uv_timer_start(
          &later, [](uv_timer_t*) {}, 1000, 0);
      uv_run(loop, UV_RUN_DEFAULT);
      for (const char* name : {"empty", "full"}) {
        const std::string from = std::string("/tmp/") + name, to = from + ".copy";
        ASSERT_EQ(uv_fs_copyfile(nullptr, &req, from.c_str(), to.c_str(), 0, nullptr), 0);
        uv_fs_req_cleanup(&req);
        uv_fs_stat(nullptr, &req, from.c_str(), nullptr);
        const uv_stat_t src = req.statbuf;
        uv_fs_req_cleanup(&req);
        uv_fs_stat(nullptr, &req, to.c_str(), nullptr);
        const uv_stat_t dst = req.statbuf;
        uv_fs_req_cleanup(&req);
        const bool keeps = v >= V(1, 49, 0);
        EXPECT_EQ(dst.st_atim.tv_sec == src.st_atim.tv_sec, keeps) << Name(v) << " " << name;
        EXPECT_EQ(dst.st_mtim.tv_sec == src.st_mtim.tv_sec, keeps && std::strcmp(name, "empty") == 0)
            << Name(v) << " " << name;
      }
      CloseLoop(loop);
    });
  }
}

TEST(UvVersion, StatfsReportsTheFragmentSizeFrom1_52) {
  for (uint32_t v : {V(1, 51, 0), V(1, 52, 0)}) {
    Sim(v, "epoll", [&] {
      uv_fs_t req;
      ASSERT_EQ(uv_fs_statfs(nullptr, &req, "/tmp", nullptr), 0);
      const auto* s = static_cast<const uv_statfs_t*>(req.ptr);
      EXPECT_EQ(s->f_spare[0], v >= V(1, 52, 0) ? s->f_bsize : 0u) << "f_frsize, " << Name(v);
      uv_fs_req_cleanup(&req);
    });
  }
}

// --- the loop and the machine -------------------------------------------------------------------------

TEST(UvVersion, LoopForkForgetsCaughtSignalsFrom1_47) {
  for (uint32_t v : {V(1, 46, 0), V(1, 47, 0)}) {
    World w;
    Sim(v, "epoll", [&] {
      w.Init();
      uv_signal_t sig;
      uv_signal_init(&w.loop, &sig);
      uv_signal_start(
          &sig, [](uv_signal_t* h, int) { World::Of(h)->Log("signal"); }, SIGUSR1);
      uv_kill(uv_os_getpid(), SIGUSR1);
      EXPECT_EQ(uv_loop_fork(&w.loop), 0);
      uv_run(&w.loop, UV_RUN_NOWAIT);
      CloseLoop(&w.loop);
    });
    EXPECT_EQ(w.log.empty(), v >= V(1, 47, 0)) << Name(v);
  }
}

TEST(UvVersion, TheIoUringSqpollOptionIsKnownOnLinuxFrom1_49) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 48, 0), V(1, 49, 0)}) {
      SimOnLoop(v, backend, [&](uv_loop_t* loop) {
        EXPECT_EQ(uv_loop_configure(loop, UV_LOOP_USE_IO_URING_SQPOLL),
                  v >= V(1, 49, 0) && backend == "epoll" ? 0 : UV_ENOSYS)
            << Name(v) << " " << backend;
        CloseLoop(loop);
      });
    }
  }
}

TEST(UvVersion, AnUnlimitedMachineReportsUint64MaxAsItsMemoryLimitFrom1_45) {
  for (uint32_t v : {V(1, 44, 2), V(1, 45, 0)}) {
    Sim(v, "epoll", [&] { EXPECT_EQ(uv_get_constrained_memory(), v >= V(1, 45, 0) ? UINT64_MAX : 0u) << Name(v); });
  }
}

// --- the trace against the invariant monitor ------------------------------------------------------

// A workload of timers (one repeating, one restarted from a callback), immediates-like check
// watchers, thread-pool work, a TCP exchange and closes, run by UV_RUN_DEFAULT, then UV_RUN_ONCE and
// UV_RUN_NOWAIT runs; returns the trace.
std::string WorkloadTrace(uint32_t version, const std::string& backend, const runtime::TestMutations& mutations) {
  // One file per test process: ctest runs the tests of this file side by side.
  const std::string path = ::testing::TempDir() + "uv_version_trace_" + std::to_string(getpid()) + ".jsonl";
  runtime::RuntimeOptions options;
  options.kernel.seed = 3;
  options.backend = backend;
  options.libuv_version = version;
  options.trace_path = path;
  options.mutations = mutations;
  runtime::Runtime::Start(std::move(options));
  {
    World w;
    w.Init();
    static uv_timer_t repeating, once;
    static int ticks;
    ticks = 0;
    uv_timer_init(&w.loop, &repeating);
    uv_timer_init(&w.loop, &once);
    uv_timer_start(
        &repeating,
        [](uv_timer_t* t) {
          if (++ticks == 4) uv_close(H(t), nullptr);
          uv_timer_start(
              &once, [](uv_timer_t*) {}, 0, 0);
        },
        1, 2);
    static uv_check_t check;
    uv_check_init(&w.loop, &check);
    uv_check_start(&check, [](uv_check_t* c) { uv_close(H(c), nullptr); });
    static uv_work_t work[3];
    for (uv_work_t& req : work)
      uv_queue_work(
          &w.loop, &req, [](uv_work_t*) {}, [](uv_work_t*, int) {});
    Listen(&w.loop, [](uv_tcp_t* conn) {
      uv_read_start(reinterpret_cast<uv_stream_t*>(conn), AllocBuffer, [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
        if (n < 0) uv_close(H(s), nullptr);
      });
    });
    static uv_tcp_t client;
    static uv_connect_t connect;
    ConnectToServer(&w.loop, &client, &connect, [](uv_connect_t* req, int) {
      static uv_write_t write;
      static char text[] = "ping";
      const uv_buf_t buf = uv_buf_init(text, 4);
      uv_write(&write, req->handle, &buf, 1, [](uv_write_t* r, int) {
        uv_close(H(r->handle), nullptr);
        uv_close(H(&g_server->listener), nullptr);
      });
    });
    uv_run(&w.loop, UV_RUN_DEFAULT);
    static uv_timer_t late;
    uv_timer_init(&w.loop, &late);
    uv_timer_start(
        &late, [](uv_timer_t* t) { uv_close(H(t), nullptr); }, 5, 0);
    while (uv_run(&w.loop, UV_RUN_ONCE) != 0) {
    }
    uv_run(&w.loop, UV_RUN_NOWAIT);
    CloseLoop(&w.loop);
  }
  runtime::Runtime::Get().trace().Close();
  runtime::Runtime::Shutdown();
  return Slurp(path);
}

std::vector<std::string> Violations(const std::string& trace) {
  const sim::CheckResult r = sim::CheckTrace(trace);
  EXPECT_EQ(r.parse_error, "");
  std::vector<std::string> names;
  for (const sim::Violation& v : r.violations) names.push_back(v.invariant + ": " + v.message);
  return names;
}

TEST(UvVersion, TheInvariantMonitorAcceptsTheTracesOfBothPhaseOrders) {
  for (const std::string& backend : Backends()) {
    for (uint32_t v : {V(1, 44, 2), V(1, 45, 0), V(1, 52, 1)}) {
      const std::string trace = WorkloadTrace(v, backend, {});
      ASSERT_NE(trace.find("\"ev\":\"loop_time\""), std::string::npos);
      EXPECT_EQ(Violations(trace), std::vector<std::string>{}) << Name(v) << " " << backend;
    }
  }
}

TEST(UvVersion, TheInvariantMonitorCatchesABrokenLoopUnderTheNewOrderToo) {
  for (const std::string& backend : Backends()) {
    runtime::TestMutations stale;
    stale.stale_loop_time = true;
    runtime::TestMutations check_first;
    check_first.check_before_poll = true;
    for (uint32_t v : {V(1, 44, 2), V(1, 52, 1)}) {
      const std::vector<std::string> a = Violations(WorkloadTrace(v, backend, stale));
      ASSERT_FALSE(a.empty()) << Name(v) << " " << backend;
      EXPECT_EQ(a[0].rfind("loop-time", 0), 0u) << a[0];
      const std::vector<std::string> b = Violations(WorkloadTrace(v, backend, check_first));
      ASSERT_FALSE(b.empty()) << Name(v) << " " << backend;
      EXPECT_EQ(b[0].rfind("phase-order", 0), 0u) << b[0];
    }
  }
}

}  // namespace
}  // namespace loopsim
