// I/O watchers and the pending queue, as libuv's core keeps them: a watcher says which events the loop
// waits for on a descriptor; the backend reports ready descriptors in the poll phase; a watcher "fed"
// to the pending queue has its callback run (with POLLOUT) in the next pending phase, which is how
// libuv delivers write completions and connection errors found synchronously.
#include <poll.h>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

void IoInit(uv__io_t* w, uv__io_cb cb, int fd) {
  w->cb = cb;
  QueueInit(w->pending_queue);
  QueueInit(w->watcher_queue);
  w->fd = fd;
  w->events = 0;
  w->pevents = 0;
}

// Tells the backend what w waits for now (libuv does this for queued watchers when the poll phase
// starts, so a descriptor that became ready before it was registered joins the ready list then).
static void Apply(uv_loop_t* loop, uv__io_t* w) {
  FileDescription* d = K().vfs().Description(w->fd);
  LS_CHECK_MSG(d != nullptr, "an I/O watcher on a descriptor that is not a kernel object");
  State(loop).backend->Update(w->fd, d, w->pevents);
  w->events = w->pevents;
}

// Records the change at once for dispatch, and queues the registration for the next poll phase.
static void Changed(uv_loop_t* loop, uv__io_t* w) {
  LoopState& s = State(loop);
  if (w->pevents != 0) {
    s.watchers[w->fd] = w;
  } else {
    s.watchers.erase(w->fd);
  }
  if (QueueEmpty(w->watcher_queue)) QueueInsertTail(s.watcher_queue, w->watcher_queue);
}

void IoFlushWatchers(uv_loop_t* loop) {
  LoopState& s = State(loop);
  while (!QueueEmpty(s.watcher_queue)) {
    void** q = QNext(s.watcher_queue);
    QueueRemove(q);
    QueueInit(q);
    uv__io_t* w = QueueData<uv__io_t>(q, offsetof(uv__io_t, watcher_queue));
    if (w->fd >= 0 && w->events != w->pevents) Apply(loop, w);
  }
}

void IoStart(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  LS_CHECK(w->fd >= 0);
  if ((w->pevents & events) == events) return;
  w->pevents |= events;
  Changed(loop, w);
}

void IoStop(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  if (w->fd == -1) return;
  if ((w->pevents & events) == 0) return;
  w->pevents &= ~events;
  Changed(loop, w);
}

void IoClose(uv_loop_t* loop, uv__io_t* w) {
  if (w->fd >= 0 && (w->pevents != 0 || w->events != 0)) {
    w->pevents = 0;
    State(loop).watchers.erase(w->fd);
    Apply(loop, w);
  }
  if (!QueueEmpty(w->watcher_queue)) {
    QueueRemove(w->watcher_queue);
    QueueInit(w->watcher_queue);
  }
  if (!QueueEmpty(w->pending_queue)) {
    QueueRemove(w->pending_queue);
    QueueInit(w->pending_queue);
  }
}

void IoFeed(uv_loop_t* loop, uv__io_t* w) {
  if (QueueEmpty(w->pending_queue)) QueueInsertTail(State(loop).pending_queue, w->pending_queue);
}

bool RunPending(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (QueueEmpty(s.pending_queue)) return false;
  QueueNode pq;
  QueueMove(s.pending_queue, pq);
  while (!QueueEmpty(pq)) {
    void** q = QNext(pq);
    QueueRemove(q);
    QueueInit(q);
    uv__io_t* w = QueueData<uv__io_t>(q, offsetof(uv__io_t, pending_queue));
    w->cb(loop, w, POLLOUT);
  }
  return true;
}

int IoDispatch(uv_loop_t* loop) {
  LoopState& s = State(loop);
  int dispatched = 0;
  std::vector<std::pair<int, unsigned>> ready;
  s.backend->Collect(&ready, 1024);
  for (auto [fd, events] : ready) {
    auto it = s.watchers.find(fd);
    if (it == s.watchers.end()) continue;  // stopped by an earlier callback of this batch
    uv__io_t* w = it->second;
    // As libuv: an error or hang-up alone is reported with the events the watcher waits for, so its
    // read or write path finds out.
    if (events == POLLERR || events == POLLHUP) events |= w->pevents & (POLLIN | POLLOUT);
    events &= w->pevents | POLLERR | POLLHUP;
    if (events != 0) {
      w->cb(loop, w, events);
      ++dispatched;
    }
  }
  s.backend->AfterDispatch();
  return dispatched;
}

}  // namespace loopsim::uv

// Node's own patch of its libuv: whether libuv's Linux backend uses io_uring (for fs requests). The
// simulated loop never does: every fs request goes through the thread-pool model.
extern "C" int uv__node_patch_is_using_io_uring(void) { return 0; }
