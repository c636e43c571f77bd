// Stat polling (uv_fs_poll_*, Node's fs.watchFile), built as libuv builds it, from a timer and
// uv_fs_stat on the thread pool: a stat right away, then one every `interval` ms counted from when the
// previous one was started. The callback runs when a stat differs from the one before (times, size,
// mode, owner, inode, device), when the path starts failing (once per distinct error, with a zeroed
// current stat), and when it comes back. The first stat only records what is there.
//
// Each start gets a fresh context owning its timer and stat request; stopping closes the timer, or,
// with a stat in flight, lets the stat's completion do it. A handle closed while some context is still
// winding down has its close callback held back until the last one is gone, so uv_close never
// outlives the memory it frees.
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

struct PollContext {
  uv_fs_poll_t* handle = nullptr;
  uv_fs_poll_cb cb = nullptr;
  std::string path;
  uint64_t interval_ms = 1;
  uint64_t started_at = 0;  // loop time the current stat was started
  // 0 before the first stat; 1 after a successful one; the error of the last failed one.
  int64_t last = 0;
  uv_stat_t previous{};
  uv_timer_t timer{};
  uv_fs_t req{};
  PollContext* older = nullptr;  // contexts of earlier start/stop periods still winding down
};

uv_handle_t* AsHandle(uv_fs_poll_t* h) { return reinterpret_cast<uv_handle_t*>(h); }
PollContext* Context(uv_fs_poll_t* h) { return static_cast<PollContext*>(h->poll_ctx); }

bool SameStat(const uv_stat_t& a, const uv_stat_t& b) {
  auto same_time = [](const uv_timespec_t& x, const uv_timespec_t& y) {
    return x.tv_sec == y.tv_sec && x.tv_nsec == y.tv_nsec;
  };
  return same_time(a.st_ctim, b.st_ctim) && same_time(a.st_mtim, b.st_mtim) &&
         same_time(a.st_birthtim, b.st_birthtim) && a.st_size == b.st_size && a.st_mode == b.st_mode &&
         a.st_uid == b.st_uid && a.st_gid == b.st_gid && a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
         a.st_flags == b.st_flags && a.st_gen == b.st_gen;
}

bool Winding(uv_fs_poll_t* h) { return !IsActive(AsHandle(h)) || IsClosing(AsHandle(h)); }

void TimerClosed(uv_handle_t* timer) {
  PollContext* ctx = static_cast<PollContext*>(timer->data);
  uv_fs_poll_t* h = ctx->handle;
  // Unlink ctx from the handle's chain of contexts.
  PollContext** link = reinterpret_cast<PollContext**>(&h->poll_ctx);
  while (*link != ctx) {
    LS_CHECK(*link != nullptr);
    link = &(*link)->older;
  }
  *link = ctx->older;
  delete ctx;
  if (h->poll_ctx == nullptr && IsClosing(AsHandle(h))) MakeClosePending(AsHandle(h));
}

void StatDone(uv_fs_t* req);

void TimerFired(uv_timer_t* timer) {
  PollContext* ctx = static_cast<PollContext*>(timer->data);
  ctx->started_at = uv_now(timer->loop);
  LS_CHECK(uv_fs_stat(timer->loop, &ctx->req, ctx->path.c_str(), StatDone) == 0);
}

void StatDone(uv_fs_t* req) {
  PollContext* ctx = static_cast<PollContext*>(req->data);
  uv_fs_poll_t* h = ctx->handle;
  if (!Winding(h)) {
    if (req->result != 0) {
      if (ctx->last != req->result) {
        static const uv_stat_t kZero{};
        ctx->cb(h, static_cast<int>(req->result), &ctx->previous, &kZero);
        ctx->last = req->result;
      }
    } else {
      if (ctx->last != 0 && (ctx->last < 0 || !SameStat(ctx->previous, req->statbuf))) {
        ctx->cb(h, 0, &ctx->previous, &req->statbuf);
      }
      ctx->previous = req->statbuf;
      ctx->last = 1;
    }
  }
  uv_fs_req_cleanup(req);
  if (Winding(h)) {
    uv_close(reinterpret_cast<uv_handle_t*>(&ctx->timer), TimerClosed);
    return;
  }
  // The next stat starts `interval` after this one started.
  const uint64_t elapsed = uv_now(h->loop) - ctx->started_at;
  LS_CHECK(uv_timer_start(&ctx->timer, TimerFired, ctx->interval_ms - elapsed % ctx->interval_ms, 0) == 0);
}

}  // namespace

// Returns true if the handle's close callback may run now: no context is winding down.
bool FsPollClose(uv_fs_poll_t* handle) {
  uv_fs_poll_stop(handle);
  return handle->poll_ctx == nullptr;
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle) {
  HandleInit(loop, AsHandle(handle), UV_FS_POLL);
  handle->poll_ctx = nullptr;
  return 0;
}

int uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb cb, const char* path, unsigned int interval) {
  if (IsActive(AsHandle(handle))) return 0;
  uv_loop_t* loop = handle->loop;
  auto* ctx = new PollContext();
  ctx->handle = handle;
  ctx->cb = cb;
  ctx->path = path;
  ctx->interval_ms = interval != 0 ? interval : 1;
  ctx->started_at = uv_now(loop);
  uv_timer_init(loop, &ctx->timer);
  ctx->timer.flags |= kInternal;
  uv_unref(reinterpret_cast<uv_handle_t*>(&ctx->timer));
  ctx->timer.data = ctx;
  ctx->req.data = ctx;
  const int r = uv_fs_stat(loop, &ctx->req, ctx->path.c_str(), StatDone);
  if (r < 0) {
    // The timer was never started: take it off the loop without a close callback into ctx.
    uv_close(reinterpret_cast<uv_handle_t*>(&ctx->timer),
             [](uv_handle_t* t) { delete static_cast<PollContext*>(t->data); });
    return r;
  }
  ctx->older = Context(handle);
  handle->poll_ctx = ctx;
  HandleStart(AsHandle(handle));
  return 0;
}

int uv_fs_poll_stop(uv_fs_poll_t* handle) {
  if (!IsActive(AsHandle(handle))) return 0;
  PollContext* ctx = Context(handle);
  LS_CHECK(ctx != nullptr && ctx->handle == handle);
  // A started timer is closed now; otherwise a stat is in flight and its completion closes it.
  if (IsActive(reinterpret_cast<uv_handle_t*>(&ctx->timer))) {
    uv_close(reinterpret_cast<uv_handle_t*>(&ctx->timer), TimerClosed);
  }
  HandleStop(AsHandle(handle));
  return 0;
}

int uv_fs_poll_getpath(uv_fs_poll_t* handle, char* buffer, size_t* size) {
  return GetWatchedPath(AsHandle(handle), IsActive(AsHandle(handle)) ? Context(handle)->path : "", buffer, size);
}

}  // extern "C"
