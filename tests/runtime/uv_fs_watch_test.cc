// File watching through the uv API directly, on every backend: uv_fs_event (inotify on the virtual disk,
// delivered in the poll phase) and uv_fs_poll (a timer and uv_fs_stat), against libuv's contract.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "tests/support/backends.h"

namespace loopsim {
namespace {

using testing::BackendName;
using testing::Backends;

// The path a watch handle names, as `getpath` (uv_fs_event_getpath or uv_fs_poll_getpath) gives it in
// a buffer with room to spare: the size it reports is the path's length, and the path ends with a NUL.
template <typename Handle>
std::string WatchedPath(int (*getpath)(Handle*, char*, size_t*), Handle* handle) {
  char path[16];
  size_t size = sizeof(path);
  if (const int r = getpath(handle, path, &size); r != 0) return "(error " + std::to_string(r) + ")";
  if (size >= sizeof(path)) return "(size " + std::to_string(size) + ")";
  EXPECT_EQ(path[size], '\0');
  return std::string(path, size);
}

class UvFsWatchTest : public ::testing::TestWithParam<std::string> {
 public:
  static UvFsWatchTest* Self(const void* loop_data) {
    return static_cast<UvFsWatchTest*>(const_cast<void*>(loop_data));
  }
  std::vector<std::string> log_;

 protected:
  void SetUp() override {
    runtime::RuntimeOptions options;
    options.kernel.seed = 3;
    options.backend = GetParam();
    runtime::Runtime::Start(std::move(options));
    K().vfs().Mkdir("/w", 0755);
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    loop_.data = this;
  }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // let close callbacks run
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    runtime::Runtime::Shutdown();
  }
  Kernel& K() { return runtime::Runtime::Get().kernel(); }

  // A change made from the loop, as a program makes it: from a timer callback `ms` from now.
  void At(uint64_t ms, void (*change)(uv_loop_t*)) {
    auto* t = new uv_timer_t;
    uv_timer_init(&loop_, t);
    t->data = reinterpret_cast<void*>(change);
    uv_timer_start(
        t,
        [](uv_timer_t* timer) {
          reinterpret_cast<void (*)(uv_loop_t*)>(timer->data)(timer->loop);
          uv_close(reinterpret_cast<uv_handle_t*>(timer),
                   [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
        },
        ms, 0);
  }

  uv_loop_t loop_;
};

void SyncWrite(const char* path, const char* text, int flags) {
  uv_fs_t req;
  const int fd = uv_fs_open(nullptr, &req, path, flags, 0644, nullptr);
  uv_fs_req_cleanup(&req);
  ASSERT_GE(fd, 0);
  uv_buf_t buf = uv_buf_init(const_cast<char*>(text), static_cast<unsigned>(std::strlen(text)));
  uv_fs_write(nullptr, &req, fd, &buf, 1, -1, nullptr);
  uv_fs_req_cleanup(&req);
  uv_fs_close(nullptr, &req, fd, nullptr);
  uv_fs_req_cleanup(&req);
}

std::string Describe(const char* who, const char* name, int events) {
  std::string s = std::string(who) + " " + (name ? name : "(null)");
  if (events & UV_RENAME) s += " rename";
  if (events & UV_CHANGE) s += " change";
  return s;
}

TEST_P(UvFsWatchTest, DirectoryEventsNameTheEntryAndReachEveryHandleOfTheWatch) {
  static uv_fs_event_t first, second;
  ASSERT_EQ(uv_fs_event_init(&loop_, &first), 0);
  ASSERT_EQ(uv_fs_event_init(&loop_, &second), 0);
  uv_fs_event_cb log = [](uv_fs_event_t* h, const char* name, int events, int status) {
    EXPECT_EQ(status, 0);
    Self(h->loop->data)->log_.push_back(Describe(h == &first ? "first" : "second", name, events));
  };
  ASSERT_EQ(uv_fs_event_start(&first, log, "/w", 0), 0);
  ASSERT_EQ(uv_fs_event_start(&second, log, "/w", 0), 0);
  EXPECT_EQ(uv_fs_event_start(&first, log, "/w", 0), UV_EINVAL) << "already started";
  At(10, [](uv_loop_t*) { SyncWrite("/w/new.txt", "x", O_WRONLY | O_CREAT); });
  At(20, [](uv_loop_t*) {
    uv_close(reinterpret_cast<uv_handle_t*>(&first), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&second), nullptr);
  });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(log_, (std::vector<std::string>{"first new.txt rename", "second new.txt rename", "first new.txt change",
                                            "second new.txt change"}));
}

TEST_P(UvFsWatchTest, AFileWatchNamesTheFileAndAStoppedHandleHearsNothingMore) {
  SyncWrite("/w/f", "a", O_WRONLY | O_CREAT);
  static uv_fs_event_t h;
  ASSERT_EQ(uv_fs_event_init(&loop_, &h), 0);
  ASSERT_EQ(uv_fs_event_start(
                &h,
                [](uv_fs_event_t* handle, const char* name, int events, int) {
                  Self(handle->loop->data)->log_.push_back(Describe("h", name, events));
                  uv_fs_event_stop(handle);  // from its own callback: the next events are not delivered
                },
                "/w/f", 0),
            0);
  EXPECT_EQ(WatchedPath(uv_fs_event_getpath, &h), "/w/f");
  char path[16];
  size_t size = 2;
  EXPECT_EQ(uv_fs_event_getpath(&h, path, &size), UV_ENOBUFS);
  EXPECT_EQ(size, 5u);
  At(5, [](uv_loop_t*) {
    uv_fs_t req;
    uv_fs_chmod(nullptr, &req, "/w/f", 0600, nullptr);
    uv_fs_req_cleanup(&req);
    uv_fs_unlink(nullptr, &req, "/w/f", nullptr);
    uv_fs_req_cleanup(&req);
  });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(log_, std::vector<std::string>{"h f change"});
  EXPECT_EQ(uv_is_active(reinterpret_cast<uv_handle_t*>(&h)), 0);
  size = sizeof(path);
  EXPECT_EQ(uv_fs_event_getpath(&h, path, &size), UV_EINVAL);
  uv_close(reinterpret_cast<uv_handle_t*>(&h), nullptr);
}

TEST_P(UvFsWatchTest, WatchingAMissingPathFailsAndAnActiveWatchKeepsTheLoopAlive) {
  uv_fs_event_t h;
  uv_fs_event_init(&loop_, &h);
  EXPECT_EQ(uv_fs_event_start(
                &h, [](uv_fs_event_t*, const char*, int, int) {}, "/w/missing", 0),
            UV_ENOENT);
  EXPECT_EQ(uv_loop_alive(&loop_), 0);
  ASSERT_EQ(uv_fs_event_start(
                &h, [](uv_fs_event_t*, const char*, int, int) {}, "/w", 0),
            0);
  EXPECT_EQ(uv_loop_alive(&loop_), 1);
  uv_unref(reinterpret_cast<uv_handle_t*>(&h));
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0) << "an unreferenced watch does not hold the loop";
  uv_close(reinterpret_cast<uv_handle_t*>(&h), nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);  // the handle lives until its close callback ran
}

TEST_P(UvFsWatchTest, StatPollingReportsChangesDisappearanceAndReturn) {
  SyncWrite("/w/p", "abc", O_WRONLY | O_CREAT);
  static uv_fs_poll_t poll;
  static uint64_t start;
  start = uv_now(&loop_);
  ASSERT_EQ(uv_fs_poll_init(&loop_, &poll), 0);
  ASSERT_EQ(uv_fs_poll_start(
                &poll,
                [](uv_fs_poll_t* h, int status, const uv_stat_t* prev, const uv_stat_t* curr) {
                  Self(h->loop->data)
                      ->log_.push_back("status " + std::to_string(status) + " size " + std::to_string(prev->st_size) +
                                       "->" + std::to_string(curr->st_size) + " at " +
                                       std::to_string((uv_now(h->loop) - start) / 100 * 100));
                },
                "/w/p", 100),
            0);
  EXPECT_EQ(WatchedPath(uv_fs_poll_getpath, &poll), "/w/p");
  At(250, [](uv_loop_t*) { SyncWrite("/w/p", "defg", O_WRONLY | O_APPEND); });
  At(450, [](uv_loop_t*) {
    uv_fs_t req;
    uv_fs_unlink(nullptr, &req, "/w/p", nullptr);
    uv_fs_req_cleanup(&req);
  });
  At(850, [](uv_loop_t*) { SyncWrite("/w/p", "z", O_WRONLY | O_CREAT); });
  At(1050, [](uv_loop_t*) {
    uv_close(reinterpret_cast<uv_handle_t*>(&poll),
             [](uv_handle_t* h) { Self(h->loop->data)->log_.push_back("closed"); });
  });
  uv_run(&loop_, UV_RUN_DEFAULT);
  // Stats start at 0 ms and every 100 ms after: the change at 250 is seen by the stat at 300, the
  // unlink at 450 by the one at 500 (once, however long it lasts), the new file by the one at 900.
  EXPECT_EQ(log_, (std::vector<std::string>{"status 0 size 3->7 at 300", "status -2 size 7->0 at 500",
                                            "status 0 size 7->1 at 900", "closed"}));
}

TEST_P(UvFsWatchTest, ClosingAPollWithAStatInFlightDefersTheCloseCallback) {
  SyncWrite("/w/q", "abc", O_WRONLY | O_CREAT);
  static uv_fs_poll_t poll;
  static bool closed;
  closed = false;
  uv_fs_poll_init(&loop_, &poll);
  ASSERT_EQ(uv_fs_poll_start(
                &poll, [](uv_fs_poll_t*, int, const uv_stat_t*, const uv_stat_t*) {}, "/w/q", 10),
            0);
  // The first stat is on the thread pool now: close at once.
  uv_close(reinterpret_cast<uv_handle_t*>(&poll), [](uv_handle_t*) { closed = true; });
  EXPECT_EQ(uv_loop_alive(&loop_), 1) << "the stat in flight keeps the loop alive";
  uv_run(&loop_, UV_RUN_NOWAIT);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_TRUE(closed);
}

INSTANTIATE_TEST_SUITE_P(Backends, UvFsWatchTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace loopsim
