// Poll handles and uv_fileno through the uv API directly, on every backend: a poll handle watches a
// connected TCP socket of the simulated network that no stream handle is reading, reports it writable
// at once, readable once the peer's bytes arrive and disconnected once the peer has gone; the stream
// handle then reads the bytes the poll announced. Also the errors libuv's uv_poll_init gives.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/simulation.h"
#include "tests/support/backends.h"

namespace loopsim {
namespace {

using testing::BackendName;
using testing::Backends;

constexpr int kPort = 7402;

struct PollRun {
  uv_tcp_t server, client, accepted;
  uv_connect_t connect;
  uv_poll_t poll;
  std::vector<std::string> log;
  std::string read;
  bool client_sent = false;
};

PollRun* RunOf(uv_loop_t* loop) { return static_cast<PollRun*>(loop->data); }

std::string Events(int events) {
  std::string s;
  if (events & UV_READABLE) s += "r";
  if (events & UV_WRITABLE) s += "w";
  if (events & UV_DISCONNECT) s += "d";
  return s;
}

void OnPoll(uv_poll_t* p, int status, int events) {
  PollRun* run = RunOf(p->loop);
  run->log.push_back("poll " + std::to_string(status) + " " + Events(events));
  if (events & UV_WRITABLE) {
    // Writable at once; now wait for the peer's bytes and its hang-up only.
    uv_poll_start(p, UV_READABLE | UV_DISCONNECT, OnPoll);
    // The peer sends and goes away.
    static uv_write_t write;
    static char text[] = "ping";
    uv_buf_t buf = uv_buf_init(text, 4);
    uv_write(&write, reinterpret_cast<uv_stream_t*>(&run->client), &buf, 1, nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&run->client), nullptr);
    return;
  }
  if (events & UV_READABLE) {
    // Hand the descriptor back to its stream handle, which reads what the poll announced.
    uv_close(reinterpret_cast<uv_handle_t*>(p), nullptr);
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&run->accepted),
        [](uv_handle_t*, size_t, uv_buf_t* buf) {
          static char storage[256];
          *buf = uv_buf_init(storage, sizeof(storage));
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
          PollRun* r = RunOf(s->loop);
          if (n > 0) r->read.append(buf->base, static_cast<size_t>(n));
          if (n == UV_EOF) {
            r->log.push_back("eof");
            uv_close(reinterpret_cast<uv_handle_t*>(s), nullptr);
            uv_close(reinterpret_cast<uv_handle_t*>(&r->server), nullptr);
          }
        });
  }
}

class UvPollTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UvPollTest, AnUnreadSocketIsWritableThenReadableAndDisconnected) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    PollRun run;
    SimulationOptions options;
    options.seed = seed;
    options.backend = GetParam();
    Simulate(options, [&] {
      uv_loop_t* loop = uv_default_loop();
      loop->data = &run;
      sockaddr_in addr;
      uv_ip4_addr("127.0.0.1", kPort, &addr);
      uv_tcp_init(loop, &run.server);
      ASSERT_EQ(uv_tcp_bind(&run.server, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
      ASSERT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&run.server), 8,
                          [](uv_stream_t* server, int status) {
                            PollRun* r = RunOf(server->loop);
                            uv_tcp_init(server->loop, &r->accepted);
                            ASSERT_EQ(uv_accept(server, reinterpret_cast<uv_stream_t*>(&r->accepted)), 0);
                            uv_os_fd_t fd;
                            ASSERT_EQ(uv_fileno(reinterpret_cast<uv_handle_t*>(&r->accepted), &fd), 0);
                            ASSERT_EQ(uv_poll_init(server->loop, &r->poll, fd), 0);
                            ASSERT_EQ(uv_poll_start(&r->poll, UV_WRITABLE, OnPoll), 0);
                          }),
                0);
      uv_tcp_init(loop, &run.client);
      ASSERT_EQ(uv_tcp_connect(&run.connect, &run.client, reinterpret_cast<const sockaddr*>(&addr),
                               [](uv_connect_t*, int status) { ASSERT_EQ(status, 0); }),
                0);
      uv_run(loop, UV_RUN_DEFAULT);
      EXPECT_EQ(uv_loop_close(loop), 0);
    });
    // Bytes and FIN are in the queue together on loopback: one readable-and-disconnected report.
    EXPECT_EQ(run.log, (std::vector<std::string>{"poll 0 w", "poll 0 rd", "eof"})) << "seed " << seed;
    EXPECT_EQ(run.read, "ping") << "seed " << seed;
  }
}

TEST_P(UvPollTest, InitRefusesWatchedFilesAndClosedDescriptorsAndFilenoSaysWhichDescriptor) {
  SimulationOptions options;
  options.seed = 1;
  options.backend = GetParam();
  Simulate(options, [&] {
    uv_loop_t* loop = uv_default_loop();
    uv_poll_t poll;
    EXPECT_EQ(uv_poll_init(loop, &poll, 99), UV_EBADF) << "not open";
    uv_fs_t req;
    const int file = uv_fs_open(nullptr, &req, "/tmp/plain", O_WRONLY | O_CREAT, 0644, nullptr);
    uv_fs_req_cleanup(&req);
    ASSERT_GE(file, 0);
    EXPECT_EQ(uv_poll_init(loop, &poll, file), UV_EPERM) << "a regular file, as epoll refuses it";

    uv_tcp_t tcp;
    uv_tcp_init(loop, &tcp);
    uv_os_fd_t fd;
    EXPECT_EQ(uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp), &fd), UV_EBADF) << "no socket yet";
    sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", kPort, &addr);
    ASSERT_EQ(uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
    ASSERT_EQ(uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp), &fd), 0);
    EXPECT_GT(fd, 2);
    ASSERT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&tcp), 1, [](uv_stream_t*, int) {}), 0);
    uv_run(loop, UV_RUN_NOWAIT);  // the listener's watcher is registered
    EXPECT_EQ(uv_poll_init(loop, &poll, fd), UV_EEXIST) << "another handle watches it";
    uv_timer_t timer;
    uv_timer_init(loop, &timer);
    EXPECT_EQ(uv_fileno(reinterpret_cast<uv_handle_t*>(&timer), &fd), UV_EINVAL) << "a timer has none";
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), nullptr);
    EXPECT_EQ(uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp), &fd), UV_EBADF) << "closing";
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_fs_close(nullptr, &req, file, nullptr);
    uv_fs_req_cleanup(&req);
    EXPECT_EQ(uv_loop_close(loop), 0);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, UvPollTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace loopsim
