// Thread-pool work (fs requests, uv_queue_work, uv_random): submitted to the kernel's thread-pool model,
// which runs the work at a chosen finishing instant. The completion then goes through the loop's wq_async
// handle, so its callback runs in a later poll phase, in completion order, exactly as libuv delivers
// work done by its threads. Work no thread has started can be cancelled; its callback still runs, with
// UV_ECANCELED.
#include <map>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {
struct PendingWork {
  WorkId id = 0;
  bool cancelled = false;
  std::function<void(int)> after;
};
// Keyed by request; only looked up, never iterated.
std::map<const uv_req_t*, PendingWork>& Pending() {
  static std::map<const uv_req_t*, PendingWork> pending;
  return pending;
}
}  // namespace

void SubmitWork(uv_loop_t* loop, uv_req_t* req, std::function<void()> work, std::function<void(int)> after) {
  ReqRegister(loop, req);
  LS_CHECK_MSG(Pending().count(req) == 0, "a request was submitted twice");
  PendingWork& p = Pending()[req];
  p.after = std::move(after);
  p.id = K().thread_pool().Submit(std::move(work), [loop, req] {
    State(loop).wq_done.push_back(req);
    uv_async_send(&State(loop).wq_async);
  });
}

void SubmitNewWork(uv_loop_t* loop, uv_req_t* req, std::string_view kind, std::function<void()> work,
                   std::function<void(int)> after) {
  SetReqId(req, runtime::Runtime::Get().NextId());
  TraceReq(loop, req, trace::event::kSubmit, kind);
  SubmitWork(loop, req, std::move(work), std::move(after));
}

int CancelWork(uv_req_t* req) {
  auto it = Pending().find(req);
  if (it == Pending().end() || it->second.cancelled) return UV_EBUSY;
  if (!K().thread_pool().Cancel(it->second.id)) return UV_EBUSY;
  it->second.cancelled = true;
  uv_loop_t* loop = nullptr;
  switch (req->type) {
    case UV_FS: loop = reinterpret_cast<uv_fs_t*>(req)->loop; break;
    case UV_WORK: loop = reinterpret_cast<uv_work_t*>(req)->loop; break;
    case UV_RANDOM: loop = reinterpret_cast<uv_random_t*>(req)->loop; break;
    case UV_GETADDRINFO: loop = reinterpret_cast<uv_getaddrinfo_t*>(req)->loop; break;
    case UV_GETNAMEINFO: loop = reinterpret_cast<uv_getnameinfo_t*>(req)->loop; break;
    default: return UV_EINVAL;
  }
  State(loop).wq_done.push_back(req);
  uv_async_send(&State(loop).wq_async);
  return 0;
}

void WorkDone(uv_async_t* wq_async) {
  uv_loop_t* loop = wq_async->loop;
  std::deque<uv_req_t*> done;
  done.swap(State(loop).wq_done);
  for (uv_req_t* req : done) {
    auto it = Pending().find(req);
    LS_CHECK(it != Pending().end());
    PendingWork p = std::move(it->second);
    Pending().erase(it);
    ReqUnregister(loop, req);
    TraceReq(loop, req, trace::event::kCallback, ReqKindName(req->type));
    p.after(p.cancelled ? UV_ECANCELED : 0);
    runtime::Runtime::Get().ChargeCallback();
  }
  // As libuv's uv__work_done: the wakeup already counted as one event of uv_metrics_info; each further
  // completion is one more, waiting if the poll that found them did not wait (src/threadpool.c).
  if (done.size() > 1) {
    LoopState& s = State(loop);
    s.metrics_events += done.size() - 1;
    if (s.poll_found_events_waiting) s.metrics_events_waiting += done.size() - 1;
  }
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_queue_work(uv_loop_t* loop, uv_work_t* req, uv_work_cb work_cb, uv_after_work_cb after_work_cb) {
  if (work_cb == nullptr) return UV_EINVAL;
  req->type = UV_WORK;
  req->loop = loop;
  req->work_cb = work_cb;
  req->after_work_cb = after_work_cb;
  SubmitNewWork(
      loop, reinterpret_cast<uv_req_t*>(req), trace::kind::kWork, [req] { req->work_cb(req); },
      [req](int status) {
        if (req->after_work_cb != nullptr) req->after_work_cb(req, status);
      });
  return 0;
}

int uv_cancel(uv_req_t* req) {
  switch (req->type) {
    case UV_FS:
    case UV_WORK:
    case UV_RANDOM: return CancelWork(req);
    case UV_GETADDRINFO:
    case UV_GETNAMEINFO: return CancelWork(req);
    default: return UV_EINVAL;
  }
}

int uv_random(uv_loop_t* loop, uv_random_t* req, void* buf, size_t buflen, unsigned flags, uv_random_cb cb) {
  if (buflen > 0x7FFFFFFFu) return UV_E2BIG;
  if (flags != 0) return UV_EINVAL;
  if (cb == nullptr) {
    K().Entropy(buf, buflen);
    return 0;
  }
  req->type = UV_RANDOM;
  req->loop = loop;
  req->buf = buf;
  req->buflen = buflen;
  req->cb = cb;
  SubmitNewWork(
      loop, reinterpret_cast<uv_req_t*>(req), trace::kind::kRandom, [req] { K().Entropy(req->buf, req->buflen); },
      [req](int status) { req->cb(req, status, req->buf, req->buflen); });
  return 0;
}

}  // extern "C"
