// The part of libuv's API that the official node binaries (libuv 1.46 to 1.52) export beyond what
// Debian's libnode 18 imports, through the uv API directly: each function against libuv's contract on
// the simulated machine (its clocks, host facts, file system, network and loops). Functions whose
// behaviour changed between versions are in uv_version_test.cc.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/simulation.h"
#include "runtime/uv/uv_compat.h"
#include "tests/support/backends.h"
#include "tests/support/uv_loop.h"

namespace loopsim {
namespace {

using testing::Backends;
using testing::CloseLoop;

uv_handle_t* H(void* handle) { return static_cast<uv_handle_t*>(handle); }

void Sim(const std::function<void()>& body, const std::string& backend = "epoll") {
  SimulationOptions options;
  options.seed = 5;
  options.backend = backend;
  Simulate(options, body);
}

TEST(UvApi, ClockGettimeReadsTheVirtualClocks) {
  Sim([] {
    uv_timespec64_t mono, real;
    ASSERT_EQ(uv_clock_gettime(UV_CLOCK_MONOTONIC, &mono), 0);
    EXPECT_EQ(mono.tv_sec * 1000000000 + mono.tv_nsec, static_cast<int64_t>(uv_hrtime()));
    ASSERT_EQ(uv_clock_gettime(UV_CLOCK_REALTIME, &real), 0);
    uv_timeval64_t tv;
    uv_gettimeofday(&tv);
    EXPECT_EQ(real.tv_sec, tv.tv_sec);
    EXPECT_EQ(real.tv_nsec / 1000, tv.tv_usec);
    EXPECT_EQ(uv_clock_gettime(static_cast<uv_clock_id>(7), &mono), UV_EINVAL);
    EXPECT_EQ(uv_clock_gettime(UV_CLOCK_MONOTONIC, nullptr), UV_EFAULT);
  });
}

TEST(UvApi, MetricsCountIterationsAndEvents) {
  for (const std::string& backend : Backends()) {
    Sim(
        [&] {
          uv_loop_t loop;
          uv_loop_init(&loop);
          uv_metrics_t m;
          ASSERT_EQ(uv_metrics_info(&loop, &m), 0);
          EXPECT_EQ(m.loop_count, 0u);
          // A blocking poll that a thread-pool completion ends: one iteration, one event, not waiting.
          uv_work_t work;
          uv_queue_work(
              &loop, &work, [](uv_work_t*) {}, [](uv_work_t*, int) {});
          uv_run(&loop, UV_RUN_DEFAULT);
          uv_metrics_info(&loop, &m);
          EXPECT_EQ(m.loop_count, 1u) << backend;
          EXPECT_EQ(m.events, 1u) << backend;
          EXPECT_EQ(m.events_waiting, 0u) << backend;
          // With idle-time metrics on (as Node sets them), two more completions that are done before
          // the next poll begins (the simulated time passes in uv_sleep): they were waiting.
          ASSERT_EQ(uv_loop_configure(&loop, UV_METRICS_IDLE_TIME), 0);
          uv_work_t more[2];
          for (uv_work_t& w : more)
            uv_queue_work(
                &loop, &w, [](uv_work_t*) {}, [](uv_work_t*, int) {});
          uv_sleep(1000);
          uv_run(&loop, UV_RUN_DEFAULT);
          uv_metrics_info(&loop, &m);
          EXPECT_EQ(m.loop_count, 2u) << backend;
          EXPECT_EQ(m.events, 3u) << backend;
          EXPECT_EQ(m.events_waiting, 2u) << backend;
          ASSERT_EQ(uv_loop_close(&loop), 0);
        },
        backend);
  }
}

TEST(UvApi, LoopsComeAndGoAndReportTheirTimeout) {
  Sim([] {
    uv_loop_t* loop = uv_loop_new();
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(uv_backend_fd(loop), -1) << "the simulated loop waits inside the virtual kernel";
    uv_timer_t timer;
    uv_timer_init(loop, &timer);
    uv_timer_start(
        &timer, [](uv_timer_t*) {}, 100, 0);
    EXPECT_EQ(uv_backend_timeout(loop), 100);
    uv_idle_t idle;
    uv_idle_init(loop, &idle);
    uv_idle_start(&idle, [](uv_idle_t*) {});
    EXPECT_EQ(uv_backend_timeout(loop), 0) << "an idle watcher never lets the poll wait";
    EXPECT_EQ(uv_loop_fork(loop), 0);
    CloseLoop(loop);
    uv_loop_t* again = uv_loop_new();
    uv_loop_delete(again);
    std::free(loop);
  });
}

TEST(UvApi, RequestsAndHandlesHaveTheirAccessors) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_fs_t req;
    ASSERT_EQ(uv_fs_stat(&loop, &req, "/tmp", nullptr), 0);
    EXPECT_EQ(uv_fs_get_type(&req), UV_FS_STAT);
    EXPECT_EQ(uv_fs_get_result(&req), 0);
    EXPECT_EQ(uv_fs_get_system_error(&req), 0);
    EXPECT_EQ(uv_fs_get_ptr(&req), &req.statbuf);
    EXPECT_STREQ(uv_fs_get_path(&req), "/tmp");
    EXPECT_EQ(uv_fs_get_statbuf(&req)->st_mode & S_IFMT, static_cast<uint64_t>(S_IFDIR));
    uv_fs_req_cleanup(&req);
    EXPECT_EQ(uv_fs_stat(&loop, &req, "/none", nullptr), UV_ENOENT);
    EXPECT_EQ(uv_fs_get_system_error(&req), ENOENT);
    uv_fs_req_cleanup(&req);
    uv_req_t* r = reinterpret_cast<uv_req_t*>(&req);
    EXPECT_EQ(uv_req_get_type(r), UV_FS);
    int marker;
    uv_req_set_data(r, &marker);
    EXPECT_EQ(uv_req_get_data(r), &marker);
    EXPECT_STREQ(uv_req_type_name(UV_GETADDRINFO), "getaddrinfo");
    EXPECT_EQ(uv_req_type_name(UV_UNKNOWN_REQ), nullptr);
    uv_tcp_t tcp;
    uv_tcp_init(&loop, &tcp);
    EXPECT_EQ(uv_handle_get_type(H(&tcp)), UV_TCP);
    EXPECT_EQ(uv_stream_get_write_queue_size(reinterpret_cast<uv_stream_t*>(&tcp)), 0u);
    uv_process_t process;
    process.pid = 77;
    EXPECT_EQ(uv_process_get_pid(&process), 77);
    CloseLoop(&loop);
  });
}

TEST(UvApi, MkstempCreatesAFileFromItsTemplate) {
  Sim([] {
    uv_fs_t req;
    const int fd = uv_fs_mkstemp(nullptr, &req, "/tmp/fileXXXXXX", nullptr);
    ASSERT_GE(fd, 0);
    const std::string path = req.path;
    EXPECT_EQ(path.rfind("/tmp/file", 0), 0u);
    EXPECT_EQ(path.size(), std::strlen("/tmp/fileXXXXXX"));
    EXPECT_EQ(path.find("XXXXXX"), std::string::npos);
    uv_fs_req_cleanup(&req);
    ASSERT_EQ(uv_fs_stat(nullptr, &req, path.c_str(), nullptr), 0);
    EXPECT_EQ(req.statbuf.st_mode & 0777, 0600u);
    uv_fs_req_cleanup(&req);
    EXPECT_EQ(uv_fs_mkstemp(nullptr, &req, "/tmp/bad", nullptr), UV_EINVAL);
    EXPECT_STREQ(req.path, "") << "libuv empties the name of a failed template";
    uv_fs_req_cleanup(&req);
  });
}

TEST(UvApi, SendfileCopiesFromAnOffsetToTheOutputsPosition) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_fs_t req;
    const int in = uv_fs_open(nullptr, &req, "/tmp/in", O_RDWR | O_CREAT, 0644, nullptr);
    uv_fs_req_cleanup(&req);
    char text[] = "0123456789";
    uv_buf_t buf = uv_buf_init(text, 10);
    uv_fs_write(nullptr, &req, in, &buf, 1, 0, nullptr);
    uv_fs_req_cleanup(&req);
    const int out = uv_fs_open(nullptr, &req, "/tmp/out", O_RDWR | O_CREAT, 0644, nullptr);
    uv_fs_req_cleanup(&req);
    static int64_t moved;
    ASSERT_EQ(uv_fs_sendfile(&loop, &req, out, in, 3, 4, [](uv_fs_t* r) { moved = r->result; }), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(moved, 4);
    uv_fs_req_cleanup(&req);
    char back[16] = {};
    buf = uv_buf_init(back, sizeof(back));
    EXPECT_EQ(uv_fs_read(nullptr, &req, out, &buf, 1, 0, nullptr), 4);
    EXPECT_STREQ(back, "3456");
    uv_fs_req_cleanup(&req);
    CloseLoop(&loop);
  });
}

TEST(UvApi, HostFactsOfTheSimulatedMachine) {
  Sim([] {
    char buf[64];
    size_t size = sizeof(buf);
    ASSERT_EQ(uv_os_tmpdir(buf, &size), 0);
    EXPECT_STREQ(buf, "/tmp");
    uv_os_setenv("TMPDIR", "/var/tmp/");
    size = sizeof(buf);
    ASSERT_EQ(uv_os_tmpdir(buf, &size), 0);
    EXPECT_STREQ(buf, "/var/tmp") << "without its trailing slash";
    size = 3;
    EXPECT_EQ(uv_os_tmpdir(buf, &size), UV_ENOBUFS);
    EXPECT_EQ(size, 9u);
    uv_os_unsetenv("TMPDIR");
    uv_os_setenv("TEMP", "/t");
    size = sizeof(buf);
    uv_os_tmpdir(buf, &size);
    EXPECT_STREQ(buf, "/t");

    uv_passwd_t pwd;
    ASSERT_EQ(uv_os_get_passwd2(&pwd, 1000), 0);
    EXPECT_STREQ(pwd.username, "loopsim");
    EXPECT_STREQ(pwd.homedir, "/home/loopsim");
    uv_os_free_passwd(&pwd);
    ASSERT_EQ(uv_os_get_passwd2(&pwd, 0), 0);
    EXPECT_STREQ(pwd.username, "root");
    uv_os_free_passwd(&pwd);
    EXPECT_EQ(uv_os_get_passwd2(&pwd, 4321), UV_ENOENT);
    uv_group_t grp;
    ASSERT_EQ(uv_os_get_group(&grp, 1000), 0);
    EXPECT_STREQ(grp.groupname, "loopsim");
    EXPECT_EQ(grp.gid, 1000u);
    EXPECT_EQ(grp.members[0], nullptr);
    uv_os_free_group(&grp);
    EXPECT_EQ(uv_os_get_group(&grp, 4321), UV_ENOENT);

    EXPECT_EQ(uv_get_available_memory(), uv_get_free_memory());
    uv_rusage_t usage;
    EXPECT_EQ(uv_getrusage_thread(&usage), 0);
    size = sizeof(buf);
    ASSERT_EQ(uv_if_indextoname(1, buf, &size), 0);
    EXPECT_STREQ(buf, "lo");
    size = sizeof(buf);
    EXPECT_EQ(uv_if_indextoiid(2, buf, &size), UV_ENXIO);
    uv_tty_vtermstate_t state;
    EXPECT_EQ(uv_tty_get_vterm_state(&state), UV_ENOTSUP);
    EXPECT_EQ(uv__node_patch_is_using_io_uring(), 0);
  });
}

// Writes "abc" to `from` and reads it from `to` once a poll handle sees `to` readable (bytes reach a
// socket's peer when the network delivers them).
std::string Exchange(uv_loop_t* loop, int from, int to) {
  uv_fs_t req;
  char text[] = "abc";
  uv_buf_t buf = uv_buf_init(text, 3);
  EXPECT_EQ(uv_fs_write(nullptr, &req, from, &buf, 1, -1, nullptr), 3);
  uv_fs_req_cleanup(&req);
  static std::string got;
  got.clear();
  uv_poll_t poll;
  uv_poll_init(loop, &poll, to);
  uv_poll_start(&poll, UV_READABLE, [](uv_poll_t* p, int status, int events) {
    char back[8] = {};
    uv_buf_t b = uv_buf_init(back, sizeof(back));
    uv_fs_t r;
    const int n = uv_fs_read(nullptr, &r, p->io_watcher.fd, &b, 1, -1, nullptr);
    uv_fs_req_cleanup(&r);
    if (n > 0) got.assign(back, static_cast<size_t>(n));
    uv_close(H(p), nullptr);
  });
  uv_run(loop, UV_RUN_DEFAULT);
  return got;
}

TEST(UvApi, PipesAndSocketPairsAreDescriptorsOfTheSimulatedMachine) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_file fds[2];
    ASSERT_EQ(uv_pipe(fds, 0, 0), 0);
    uv_os_sock_t socks[2];
    ASSERT_EQ(uv_socketpair(SOCK_STREAM, 0, socks, 0, 0), 0);
    EXPECT_EQ(uv_socketpair(SOCK_STREAM, 6, socks, 0, 0), UV_EPROTONOSUPPORT);
    EXPECT_EQ(Exchange(&loop, fds[1], fds[0]), "abc");
    EXPECT_EQ(Exchange(&loop, socks[0], socks[1]), "abc");
    EXPECT_EQ(Exchange(&loop, socks[1], socks[0]), "abc");
    for (int fd : {fds[0], fds[1], socks[0], socks[1]}) {
      uv_fs_t req;
      uv_fs_close(nullptr, &req, fd, nullptr);
      uv_fs_req_cleanup(&req);
    }
    CloseLoop(&loop);
  });
}

TEST(UvApi, TcpInitExMakesTheSocketOfItsFamily) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_tcp_t tcp;
    EXPECT_EQ(uv_tcp_init_ex(&loop, &tcp, AF_UNIX), UV_EINVAL);
    EXPECT_EQ(uv_tcp_init_ex(&loop, &tcp, AF_INET | 0x100), UV_EINVAL);
    ASSERT_EQ(uv_tcp_init_ex(&loop, &tcp, AF_INET6), 0);
    uv_os_fd_t fd;
    EXPECT_EQ(uv_fileno(H(&tcp), &fd), 0) << "the socket exists before bind";
    EXPECT_EQ(uv_tcp_keepalive_ex(&tcp, 1, 30, 5, 3), 0);
    EXPECT_EQ(uv_tcp_keepalive_ex(&tcp, 1, 30, 0, 3), UV_EINVAL);
    EXPECT_EQ(uv_tcp_keepalive_ex(&tcp, 1, 30, 5, 128), UV_EINVAL) << "Linux allows at most 127 probes";
    EXPECT_EQ(uv_tcp_keepalive_ex(&tcp, 1, 40000, 5, 3), UV_EINVAL) << "nor more than 32767 s";
    EXPECT_EQ(uv_tcp_simultaneous_accepts(&tcp, 1), 0);
    CloseLoop(&loop);
  });
}

TEST(UvApi, TrySend2SendsSeveralDatagramsAtOnce) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    static uv_udp_t receiver, sender;
    static std::vector<std::string> got;
    got.clear();
    uv_udp_init(&loop, &receiver);
    uv_udp_init(&loop, &sender);
    sockaddr_in to, from;
    uv_ip4_addr("127.0.0.1", 7460, &to);
    uv_ip4_addr("127.0.0.1", 7461, &from);
    ASSERT_EQ(uv_udp_bind(&receiver, reinterpret_cast<const sockaddr*>(&to), 0), 0);
    uv_udp_recv_start(
        &receiver,
        [](uv_handle_t*, size_t, uv_buf_t* buf) {
          static char storage[1024];
          *buf = uv_buf_init(storage, sizeof(storage));
        },
        [](uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr*, unsigned) {
          if (n > 0) got.emplace_back(buf->base, static_cast<size_t>(n));
          if (got.size() == 2) uv_close(H(h), nullptr);
        });
    uv_buf_t bufs[2] = {uv_buf_init(const_cast<char*>("one"), 3), uv_buf_init(const_cast<char*>("two"), 3)};
    uv_buf_t* each[2] = {&bufs[0], &bufs[1]};
    unsigned counts[2] = {1, 1};
    sockaddr* addrs[2] = {reinterpret_cast<sockaddr*>(&to), reinterpret_cast<sockaddr*>(&to)};
    EXPECT_EQ(uv_udp_try_send2(&sender, 2, each, counts, addrs, 0), UV_EINVAL) << "no socket yet";
    ASSERT_EQ(uv_udp_bind(&sender, reinterpret_cast<const sockaddr*>(&from), 0), 0);
    EXPECT_EQ(uv_udp_try_send2(&sender, 2, each, counts, addrs, 1), UV_EINVAL) << "no flags exist";
    EXPECT_EQ(uv_udp_try_send2(&sender, 2, each, counts, addrs, 0), 2);
    EXPECT_EQ(uv_udp_using_recvmmsg(&receiver), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(got, (std::vector<std::string>{"one", "two"}));
    CloseLoop(&loop);
  });
}

TEST(UvApi, AOneShotSignalHandleHearsOneSignalAndStops) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    static int once_calls, always_calls;
    once_calls = always_calls = 0;
    uv_signal_t once, always;
    uv_signal_init(&loop, &once);
    uv_signal_init(&loop, &always);
    ASSERT_EQ(uv_signal_start_oneshot(
                  &once, [](uv_signal_t*, int) { ++once_calls; }, SIGUSR2),
              0);
    ASSERT_EQ(uv_signal_start(
                  &always, [](uv_signal_t*, int) { ++always_calls; }, SIGUSR2),
              0);
    uv_kill(uv_os_getpid(), SIGUSR2);
    uv_kill(uv_os_getpid(), SIGUSR2);
    uv_run(&loop, UV_RUN_NOWAIT);
    EXPECT_EQ(once_calls, 1);
    EXPECT_EQ(always_calls, 2);
    EXPECT_EQ(uv_is_active(H(&once)), 0);
    uv_kill(uv_os_getpid(), SIGUSR2);
    uv_run(&loop, UV_RUN_NOWAIT);
    EXPECT_EQ(once_calls, 1);
    EXPECT_EQ(always_calls, 3);
    CloseLoop(&loop);
  });
}

TEST(UvApi, AOneShotHandleAloneLetsTheNextSignalTakeItsDefaultAction) {
  EXPECT_EXIT(Sim([] {
                uv_loop_t loop;
                uv_loop_init(&loop);
                uv_signal_t once;
                uv_signal_init(&loop, &once);
                uv_signal_start_oneshot(
                    &once, [](uv_signal_t*, int) {}, SIGTERM);
                uv_kill(uv_os_getpid(), SIGTERM);
                uv_kill(uv_os_getpid(), SIGTERM);
              }),
              ::testing::KilledBySignal(SIGTERM), "");
}

TEST(UvApi, PrintHandlesListsTheLoopsHandles) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_timer_t timer;
    uv_timer_init(&loop, &timer);
    uv_timer_start(
        &timer, [](uv_timer_t*) {}, 10, 0);
    uv_idle_t idle;
    uv_idle_init(&loop, &idle);
    char text[1024] = {};
    FILE* out = fmemopen(text, sizeof(text), "w");
    uv_print_all_handles(&loop, out);
    std::fflush(out);
    const std::string all = text;
    std::memset(text, 0, sizeof(text));
    std::rewind(out);
    uv_print_active_handles(&loop, out);
    std::fclose(out);
    const std::string active = text;
    EXPECT_NE(all.find("[-AI] async"), std::string::npos) << all;  // the thread pool's own wakeup
    EXPECT_NE(all.find("[RA-] timer"), std::string::npos) << all;
    EXPECT_NE(all.find("[R--] idle"), std::string::npos) << all;
    EXPECT_EQ(active.find("idle"), std::string::npos) << active;
    EXPECT_NE(active.find("timer"), std::string::npos) << active;
    CloseLoop(&loop);
  });
}

// The fix of CVE-2024-24806, which every libuv the simulation follows carries: a host name must turn
// into at most 255 ASCII bytes, and an empty one is refused.
TEST(UvApi, GetaddrinfoRefusesEmptyAndOverlongHostNames) {
  Sim([] {
    uv_getaddrinfo_t req;
    EXPECT_EQ(uv_getaddrinfo(nullptr, &req, nullptr, "", "80", nullptr), UV_EINVAL);
    EXPECT_EQ(uv_getaddrinfo(nullptr, &req, nullptr, std::string(256, 'a').c_str(), nullptr, nullptr), UV_EINVAL);
    ASSERT_EQ(uv_getaddrinfo(nullptr, &req, nullptr, "localhost", nullptr, nullptr), 0);
    uv_freeaddrinfo(req.addrinfo);
  });
}

TEST(UvApi, TryWrite2WritesWhatTheSocketTakes) {
  Sim([] {
    uv_loop_t loop;
    uv_loop_init(&loop);
    static uv_tcp_t server, client, conn;
    static uv_connect_t connect;
    static int wrote;
    wrote = 0;
    uv_tcp_init(&loop, &server);
    uv_tcp_init(&loop, &client);
    sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 7462, &addr);
    uv_tcp_bind(&server, reinterpret_cast<const sockaddr*>(&addr), 0);
    uv_listen(reinterpret_cast<uv_stream_t*>(&server), 1, [](uv_stream_t* s, int) {
      uv_tcp_init(s->loop, &conn);
      uv_accept(s, reinterpret_cast<uv_stream_t*>(&conn));
    });
    uv_tcp_connect(&connect, &client, reinterpret_cast<const sockaddr*>(&addr), [](uv_connect_t* req, int status) {
      uv_buf_t buf = uv_buf_init(const_cast<char*>("hi"), 2);
      EXPECT_EQ(uv_try_write2(req->handle, &buf, 0, nullptr), UV_EINVAL);
      wrote = uv_try_write2(req->handle, &buf, 1, nullptr);
      uv_close(H(&server), nullptr);
    });
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(wrote, 2);
    CloseLoop(&loop);
  });
}

}  // namespace
}  // namespace loopsim
