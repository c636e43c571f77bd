// UDP handles of the simulated libuv through the uv API directly, on every backend: what closing a
// handle does to its sends. libuv (unix src/unix/udp.c uv__udp_finish_close; Windows src/win/udp.c,
// whose close callback waits for the requests) never calls a send callback from inside uv_close: a
// send whose callback has not run yet gets it in the closing phase, before the handle's close callback.
// And a receive callback may close its handle; the receive loop stops there.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <uv.h>

#include <functional>
#include <string>
#include <vector>

#include "runtime/simulation.h"
#include "tests/support/backends.h"

namespace loopsim {
namespace {

using testing::Backends;

constexpr int kPort = 7403;

struct UdpRun {
  uv_udp_t a, b;
  uv_udp_send_t send;
  uv_check_t check;
  std::vector<std::string> log;
  bool in_close = false;
  char buffer[64];
};

UdpRun* RunOf(uv_loop_t* loop) { return static_cast<UdpRun*>(loop->data); }

sockaddr_in Loopback(int port) {
  sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", port, &addr);
  return addr;
}

// Runs `test` in a simulation under seeds 0 to 9 of `backend`, up to the first failure, each time on a
// fresh loop whose data is a fresh UdpRun, with handle `a` initialised.
void UnderTenSeeds(const std::string& backend, const std::function<void(UdpRun&, uv_loop_t&)>& test) {
  const std::function<void()> body = [&test] {
    UdpRun run;
    uv_loop_t loop;
    ASSERT_EQ(uv_loop_init(&loop), 0);
    loop.data = &run;
    ASSERT_EQ(uv_udp_init(&loop, &run.a), 0);
    test(run, loop);
  };
  for (uint64_t seed = 0; seed < 10 && !::testing::Test::HasFailure(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    SimulationOptions options;
    options.seed = seed;
    options.backend = backend;
    Simulate(options, body);
  }
}

class UdpTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UdpTest, ClosingRunsASendCallbackInTheClosingPhaseBeforeTheCloseCallback) {
  UnderTenSeeds(GetParam(), [](UdpRun& run, uv_loop_t& loop) {
    // The check handle shows where the callbacks run: a check phase comes between a pending phase and
    // the closing phase, so the close must come after it.
    ASSERT_EQ(uv_check_init(&loop, &run.check), 0);
    ASSERT_EQ(uv_check_start(&run.check, [](uv_check_t* c) { RunOf(c->loop)->log.push_back("check"); }), 0);
    const sockaddr_in to = Loopback(kPort);
    uv_buf_t buf = uv_buf_init(const_cast<char*>("ping"), 4);
    ASSERT_EQ(uv_udp_send(&run.send, &run.a, &buf, 1, reinterpret_cast<const sockaddr*>(&to),
                          [](uv_udp_send_t* req, int status) {
                            UdpRun* r = RunOf(req->handle->loop);
                            EXPECT_FALSE(r->in_close) << "a send callback ran inside uv_close";
                            r->log.push_back("send " + std::to_string(status));
                          }),
              0);
    run.in_close = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&run.a), [](uv_handle_t* h) {
      UdpRun* r = RunOf(h->loop);
      r->log.push_back("close");
      uv_close(reinterpret_cast<uv_handle_t*>(&r->check), nullptr);
    });
    run.in_close = false;
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop), 0);
    // The datagram left before the close (nobody listens at the port; it is lost): the send succeeded.
    EXPECT_EQ(run.log, (std::vector<std::string>{"check", "send 0", "close"}));
  });
}

TEST_P(UdpTest, AReceiveCallbackThatClosesItsHandleEndsTheReceiveLoop) {
  UnderTenSeeds(GetParam(), [](UdpRun& run, uv_loop_t& loop) {
    ASSERT_EQ(uv_udp_init(&loop, &run.b), 0);
    const sockaddr_in at = Loopback(kPort);
    ASSERT_EQ(uv_udp_bind(&run.b, reinterpret_cast<const sockaddr*>(&at), 0), 0);
    ASSERT_EQ(uv_udp_recv_start(
                  &run.b,
                  [](uv_handle_t* h, size_t, uv_buf_t* buf) {
                    UdpRun* r = RunOf(h->loop);
                    *buf = uv_buf_init(r->buffer, sizeof(r->buffer));
                  },
                  [](uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr*, unsigned) {
                    if (n == 0) return;
                    UdpRun* r = RunOf(h->loop);
                    r->log.push_back(n > 0 ? "recv " + std::string(buf->base, static_cast<size_t>(n))
                                           : "recv error " + std::to_string(n));
                    // Closed without uv_udp_recv_stop: the second datagram, already queued, is never read.
                    if (n > 0) uv_close(reinterpret_cast<uv_handle_t*>(h), nullptr);
                  }),
              0);
    for (const char* text : {"one", "two"}) {
      uv_buf_t buf = uv_buf_init(const_cast<char*>(text), 3);
      ASSERT_EQ(uv_udp_try_send(&run.a, &buf, 1, reinterpret_cast<const sockaddr*>(&at)), 3);
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&run.a), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop), 0);
    EXPECT_EQ(run.log, (std::vector<std::string>{"recv one"}));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, UdpTest, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace loopsim
