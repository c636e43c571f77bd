// Handles in general: init/start/stop bookkeeping, reference counting, uv_close and uv_walk. A handle
// is counted in loop->active_handles while it is active and referenced and not closing, as in libuv.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

uint64_t HandleId(const uv_handle_t* h) { return reinterpret_cast<uintptr_t>(h->u.reserved[3]); }

namespace {
HostCallbacks g_host_callbacks;
}  // namespace

void SetHostCallbacks(HostCallbacks callbacks) { g_host_callbacks = callbacks; }
const HostCallbacks& GetHostCallbacks() { return g_host_callbacks; }

// V8's background work first (as it always ran there), then the platform's foreground tasks and due
// delayed tasks, then the background work those posted. What a task posts for the foreground runs at the
// next poll phase (or when node drains its platform after uv_run).
void RunHostCallbacks(uv_loop_t* loop) {
  runtime::Runtime& rt = runtime::Runtime::Get();
  rt.RunHostWork();
  RunHostAsyncs(loop);
  RunHostTimers(loop);
  rt.RunHostWork();
}

void HandleInit(uv_loop_t* loop, uv_handle_t* h, uv_handle_type type) {
  CheckSimulationThread("uv_*_init");
  h->loop = loop;
  h->type = type;
  h->flags = runtime::Runtime::Get().booting() ? kRef | kBoot : kRef;
  h->close_cb = nullptr;
  h->next_closing = nullptr;
  std::memset(&h->u, 0, sizeof(h->u));
  h->u.reserved[3] = reinterpret_cast<void*>(static_cast<uintptr_t>(runtime::Runtime::Get().NextId()));
  QueueInsertTail(State(loop).handles, h->handle_queue);
}

// Starting and stopping count the handle whether or not it is closing (a closing handle may still be
// active, e.g. with a shutdown in flight); only ref and unref leave a closing handle's count alone.
void HandleStart(uv_handle_t* h) {
  if (h->flags & kActive) return;
  h->flags |= kActive;
  if (h->flags & kRef) ++h->loop->active_handles;
}

void HandleStop(uv_handle_t* h) {
  if (!(h->flags & kActive)) return;
  h->flags &= ~kActive;
  if (h->flags & kRef) {
    LS_CHECK(h->loop->active_handles > 0);
    --h->loop->active_handles;
  }
}

// A handle type's name as uv_handle_type_name gives it, as a view of its literal ("" for none): the
// kind in a handle's trace events, with no strlen per event. uv.h lists its handle types as (UPPER,
// lower) pairs; a type's name is the lower one.
namespace {
std::string_view HandleTypeName(uv_handle_type type) {
#define LOOPSIM_HANDLE_TYPE_NAME(upper, lower) \
  case UV_##upper: return #lower;
  switch (type) {
    UV_HANDLE_TYPE_MAP(LOOPSIM_HANDLE_TYPE_NAME)
    case UV_FILE: return "file";
    default: return {};
  }
#undef LOOPSIM_HANDLE_TYPE_NAME
}
}  // namespace

void TraceHandle(const uv_handle_t* h, std::string_view event, const TraceFields& extra) {
  // Formatted in storage kept from one event to the next: a handle's events are the loop's most frequent.
  static TraceFields* fields = new TraceFields();
  fields->Clear();
  fields->Name(trace::key::kKind, HandleTypeName(h->type)).Uint(trace::key::kId, HandleId(h)).Append(extra);
  TraceEvent(h->loop, event, *fields);
}

std::string_view ReqKindName(uv_req_type type) {
  switch (type) {
    case UV_FS: return trace::kind::kFs;
    case UV_WORK: return trace::kind::kWork;
    case UV_RANDOM: return trace::kind::kRandom;
    case UV_GETADDRINFO: return trace::kind::kGetaddrinfo;
    case UV_GETNAMEINFO: return trace::kind::kGetnameinfo;
    case UV_WRITE: return trace::kind::kWrite;
    case UV_CONNECT: return trace::kind::kConnect;
    case UV_SHUTDOWN: return trace::kind::kShutdown;
    case UV_UDP_SEND: return trace::kind::kUdpSend;
    default: return trace::kind::kOtherRequest;
  }
}

int GetWatchedPath(const uv_handle_t* handle, std::string_view path, char* buffer, size_t* size) {
  if (Follows(Change::kBufferArgumentsAreChecked) && (buffer == nullptr || size == nullptr || *size == 0)) {
    return UV_EINVAL;
  }
  if (!IsActive(handle)) {
    *size = 0;
    return UV_EINVAL;
  }
  return CopyName(path, buffer, size);
}

int CopyName(std::string_view name, char* buffer, size_t* size) {
  if (name.size() >= *size) {
    *size = name.size() + 1;
    return UV_ENOBUFS;
  }
  std::memcpy(buffer, name.data(), name.size());
  buffer[name.size()] = '\0';
  *size = name.size();
  return 0;
}

void MakeClosePending(uv_handle_t* handle) {
  LoopState& s = State(handle->loop);
  handle->next_closing = s.closing_handles;
  s.closing_handles = handle;
}

uint64_t ReqId(const uv_req_t* req) { return reinterpret_cast<uintptr_t>(req->reserved[5]); }
void SetReqId(uv_req_t* req, uint64_t id) { req->reserved[5] = reinterpret_cast<void*>(static_cast<uintptr_t>(id)); }

void ReqRegister(uv_loop_t* loop, uv_req_t* req) {
  ++State(loop).active_reqs;
  loop->active_reqs.count = static_cast<unsigned>(State(loop).active_reqs);
}

void ReqInit(uv_loop_t* loop, uv_req_t* req, uv_req_type type) {
  req->type = type;
  SetReqId(req, runtime::Runtime::Get().NextId());
  ReqRegister(loop, req);
}

void ReqUnregister(uv_loop_t* loop, uv_req_t* req) {
  LoopState& s = State(loop);
  LS_CHECK(s.active_reqs > 0);
  --s.active_reqs;
  loop->active_reqs.count = static_cast<unsigned>(s.active_reqs);
}

void TraceReq(const uv_loop_t* loop, const uv_req_t* req, std::string_view event, std::string_view kind,
              std::string_view op) {
  TraceFields fields;
  fields.Name(trace::key::kKind, kind).Uint(trace::key::kReq, ReqId(req));
  if (!op.empty()) fields.Name(trace::key::kOp, op);
  TraceEvent(loop, event, fields);
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

void uv_close(uv_handle_t* handle, uv_close_cb close_cb) {
  LS_CHECK_MSG(!IsClosing(handle), "uv_close called twice on one handle");
  loopsim::runtime::Runtime& rt = loopsim::runtime::Runtime::Get();
  if ((handle->flags & kBoot) && !rt.booting()) rt.EndProgram();
  handle->flags |= kClosing;
  handle->close_cb = close_cb;
  bool pending_now = true;
  switch (handle->type) {
    case UV_TIMER: TimerClose(reinterpret_cast<uv_timer_t*>(handle)); break;
    case UV_IDLE: IdleClose(reinterpret_cast<uv_idle_t*>(handle)); break;
    case UV_PREPARE: PrepareClose(reinterpret_cast<uv_prepare_t*>(handle)); break;
    case UV_CHECK: CheckClose(reinterpret_cast<uv_check_t*>(handle)); break;
    case UV_ASYNC: AsyncClose(reinterpret_cast<uv_async_t*>(handle)); break;
    case UV_SIGNAL: SignalClose(reinterpret_cast<uv_signal_t*>(handle)); break;
    case UV_TCP: StreamClose(reinterpret_cast<uv_stream_t*>(handle)); break;
    case UV_NAMED_PIPE:
      StreamClose(reinterpret_cast<uv_stream_t*>(handle));
      std::free(const_cast<char*>(reinterpret_cast<uv_pipe_t*>(handle)->pipe_fname));
      reinterpret_cast<uv_pipe_t*>(handle)->pipe_fname = nullptr;
      break;
    case UV_UDP: UdpClose(reinterpret_cast<uv_udp_t*>(handle)); break;
    case UV_FS_EVENT: FsEventClose(reinterpret_cast<uv_fs_event_t*>(handle)); break;
    case UV_FS_POLL: pending_now = FsPollClose(reinterpret_cast<uv_fs_poll_t*>(handle)); break;
    case UV_POLL:
      // As libuv's uv__poll_close: the watcher leaves the loop now, since the handle's memory may go
      // once its close callback ran.
      uv_poll_stop(reinterpret_cast<uv_poll_t*>(handle));
      IoClose(handle->loop, &reinterpret_cast<uv_poll_t*>(handle)->io_watcher);
      break;
    case UV_PROCESS: ProcessClose(reinterpret_cast<uv_process_t*>(handle)); break;
    default: Unsimulated("uv_close of an unknown handle type");
  }
  LS_CHECK_MSG(!(handle->flags & kActive), "a handle is still active after its close function");
  if (!(handle->flags & kUntraced)) TraceHandle(handle, trace::event::kClose);
  if (pending_now) MakeClosePending(handle);
}

void uv_ref(uv_handle_t* handle) {
  if (handle->flags & kRef) return;
  handle->flags |= kRef;
  if (IsClosing(handle)) return;
  if (handle->flags & kActive) ++handle->loop->active_handles;
}

void uv_unref(uv_handle_t* handle) {
  if (!(handle->flags & kRef)) return;
  handle->flags &= ~kRef;
  if (IsClosing(handle)) return;
  if (handle->flags & kActive) --handle->loop->active_handles;
}

int uv_has_ref(const uv_handle_t* handle) { return (handle->flags & kRef) ? 1 : 0; }

int uv_is_active(const uv_handle_t* handle) { return (handle->flags & kActive) ? 1 : 0; }

int uv_is_closing(const uv_handle_t* handle) { return IsClosing(handle) ? 1 : 0; }

void uv_walk(uv_loop_t* loop, uv_walk_cb walk_cb, void* arg) {
  // A snapshot first, so the callback may close handles (as libuv allows).
  std::vector<uv_handle_t*> handles;
  LoopState& s = State(loop);
  for (void** q = QNext(s.handles); q != s.handles; q = QNext(q)) {
    uv_handle_t* h = QueueData<uv_handle_t>(q, offsetof(uv_handle_t, handle_queue));
    if (!(h->flags & kInternal)) handles.push_back(h);
  }
  for (uv_handle_t* h : handles) walk_cb(h, arg);
}

// Handles and requests as libuv's accessors (src/uv-data-getter-setters.c) see them.
uv_handle_type uv_handle_get_type(const uv_handle_t* handle) { return handle->type; }
uv_req_type uv_req_get_type(const uv_req_t* req) { return req->type; }
void* uv_req_get_data(const uv_req_t* req) { return req->data; }
void uv_req_set_data(uv_req_t* req, void* data) { req->data = data; }

// uv.h lists its request types as (UPPER, lower) pairs; a type's name is the lower one.
#define LOOPSIM_TYPE_NAME(upper, lower) \
  case UV_##upper: return #lower;

const char* uv_req_type_name(uv_req_type type) {
  switch (type) {
    UV_REQ_TYPE_MAP(LOOPSIM_TYPE_NAME)
    default: return nullptr;
  }
}

void* uv_handle_get_data(const uv_handle_t* handle) { return handle->data; }
void uv_handle_set_data(uv_handle_t* handle, void* data) { handle->data = data; }
uv_loop_t* uv_handle_get_loop(const uv_handle_t* handle) { return handle->loop; }

const char* uv_handle_type_name(uv_handle_type type) {
  const std::string_view name = HandleTypeName(type);
  return name.empty() ? nullptr : name.data();  // a literal's: its text ends with a NUL
}

#undef LOOPSIM_TYPE_NAME

// libuv's handle listing: "[RAI] type address" per handle of the loop (the default loop when none is
// given), referenced, active and internal flags as letters or dashes; to stderr when no stream is given
// (libuv >= 1.47 does so; 1.44 crashed).
static void PrintHandles(uv_loop_t* loop, bool only_active, FILE* stream) {
  if (stream == nullptr) stream = stderr;
  if (loop == nullptr) loop = uv_default_loop();
  LoopState& s = State(loop);
  for (void** q = QNext(s.handles); q != s.handles; q = QNext(q)) {
    uv_handle_t* h = QueueData<uv_handle_t>(q, offsetof(uv_handle_t, handle_queue));
    if (only_active && !IsActive(h)) continue;
    const char* type = uv_handle_type_name(h->type);
    std::fprintf(stream, "[%c%c%c] %-8s %p\n", (h->flags & kRef) ? 'R' : '-', (h->flags & kActive) ? 'A' : '-',
                 (h->flags & kInternal) ? 'I' : '-', type != nullptr ? type : "<unknown>", static_cast<void*>(h));
  }
}

void uv_print_all_handles(uv_loop_t* loop, FILE* stream) { PrintHandles(loop, false, stream); }
void uv_print_active_handles(uv_loop_t* loop, FILE* stream) { PrintHandles(loop, true, stream); }

int uv_fileno(const uv_handle_t* handle, uv_os_fd_t* fd) {
  int out = -1;
  switch (handle->type) {
    case UV_TCP:
    case UV_NAMED_PIPE:
    case UV_TTY: out = reinterpret_cast<const uv_stream_t*>(handle)->io_watcher.fd; break;
    case UV_UDP: out = reinterpret_cast<const uv_udp_t*>(handle)->io_watcher.fd; break;
    case UV_POLL: out = reinterpret_cast<const uv_poll_t*>(handle)->io_watcher.fd; break;
    default: return UV_EINVAL;
  }
  if (IsClosing(handle) || out < 0) return UV_EBADF;
  *fd = out;
  return 0;
}

}  // extern "C"
