// Internals shared by the files of the simulated libuv. Layout follows libuv's own split: a file per
// handle family, one uv_run. State lives where libuv keeps it: handle flags and queues in the handles'
// private fields (the struct layouts are libuv 1.44's, which libnode was built against), the rest of a
// loop in a LoopState hung off uv_loop_t::internal_fields.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fakeos/kernel.h"
#include "runtime/runtime.h"
#include "runtime/uv/backend.h"
#include "runtime/uv/host_callbacks.h"
#include "runtime/uv/uv_compat.h"
#include "runtime/uv/version.h"

namespace loopsim::uv {

// An intrusive circular doubly linked list over libuv's `void* queue[2]` fields ([0] next, [1] prev),
// so a handle can leave whichever list it is on in O(1), as libuv's handles do.
using QueueNode = void* [2];
inline void** QNext(void** q) { return static_cast<void**>(q[0]); }
inline void** QPrev(void** q) { return static_cast<void**>(q[1]); }
inline void QueueInit(void** q) { q[0] = q; q[1] = q; }
inline bool QueueEmpty(void** q) { return q[0] == q; }
inline void QueueInsertTail(void** head, void** q) {
  q[0] = head;
  q[1] = head[1];
  QPrev(head)[0] = q;
  head[1] = q;
}
inline void QueueInsertHead(void** head, void** q) {
  q[0] = head[0];
  q[1] = head;
  QNext(head)[1] = q;
  head[0] = q;
}
inline void QueueRemove(void** q) {
  QPrev(q)[0] = q[0];
  QNext(q)[1] = q[1];
}
// Moves every element of `from` to the empty list `to`.
inline void QueueMove(void** from, void** to) {
  if (QueueEmpty(from)) {
    QueueInit(to);
    return;
  }
  to[0] = from[0];
  to[1] = from[1];
  QNext(to)[1] = to;
  QPrev(to)[0] = to;
  QueueInit(from);
}
template <typename T>
T* QueueData(void** q, size_t offset) {
  return reinterpret_cast<T*>(reinterpret_cast<char*>(q) - offset);
}
// Empties a queue of requests linked by their `queue` member, returning them in order: the completed
// writes whose callbacks run now (those completing during the callbacks wait for the next round).
template <typename Req>
std::vector<Req*> TakeRequests(void** queue) {
  std::vector<Req*> out;
  while (!QueueEmpty(queue)) {
    void** q = QNext(queue);
    QueueRemove(q);
    out.push_back(QueueData<Req>(q, offsetof(Req, queue)));
  }
  return out;
}

// Handle flags, kept in uv_handle_t::flags.
enum HandleFlag : unsigned {
  kActive = 1u << 0,
  kRef = 1u << 1,
  kClosing = 1u << 2,
  kClosed = 1u << 3,
  kInternal = 1u << 4,  // the loop's own handle (wq_async): never walked, never traced
  kBoot = 1u << 5,      // made while the runtime booted: the host's own (closing it ends the program)
  kHost = 1u << 6,      // runs a callback of the host's own machinery (host_callbacks.h): untraced, uncharged
  // Streams, as libuv's UV_HANDLE_* stream flags.
  kReadable = 1u << 8,
  kWritable = 1u << 9,
  kReading = 1u << 10,
  kReadEof = 1u << 11,
  kReadPartial = 1u << 12,
  kShutting = 1u << 13,
  kShut = 1u << 14,
  kBound = 1u << 15,
  kIpv6 = 1u << 16,
  // Signal handles started with uv_signal_start_oneshot, and such a handle that caught its signal.
  kSignalOneShot = 1u << 17,
  kSignalOneShotCaught = 1u << 18,
};

// The handles of one inotify watch descriptor (fs_event.cc), and the path the first of them watched.
struct InotifyWatch {
  std::string path;
  std::vector<uv_fs_event_t*> handles;
  bool iterating = false;  // an event is being delivered to them
};

// Handles whose events are in no trace and whose callbacks are charged no virtual time.
inline constexpr unsigned kUntraced = kInternal | kHost;

const HostCallbacks& GetHostCallbacks();  // host_callbacks.h
// Runs the host's pending async callbacks and due timers (the start of a poll phase).
void RunHostCallbacks(uv_loop_t* loop);

// The trace's vocabulary (fakeos/base/trace_schema.h) and its fields' writer, by names the files' extern
// "C" parts, which use this namespace, see too.
namespace trace = ::loopsim::trace;
using ::loopsim::TraceFields;

// The loop's phases, as the trace names them.
using Phase = trace::Phase;

struct LoopState {
  uv_loop_t* loop = nullptr;
  uint64_t id = 0;
  uint32_t thread = 0;   // the thread that runs it (runtime/uv/threads.h), as the trace numbers it
  uint32_t process = 0;  // the simulated process it belongs to (runtime/uv/process.h)
  SourceId wakeup = 0;   // the eventfd all async handles of this loop share
  SourceId signals = 0;  // the signal pipe: caught signals are waiting for delivery
  uint64_t iteration = 0;
  uint64_t idle_runs_after_program = 0;  // uv_run calls that found nothing alive once the program ended
  Phase phase = Phase::kOutside;
  // What uv_metrics_info reports (libuv's uv__loop_metrics_t), and whether the program asked for idle
  // time metrics (UV_METRICS_IDLE_TIME), which changes how libuv polls and so what counts as waiting.
  uint64_t metrics_loop_count = 0;
  uint64_t metrics_events = 0;
  uint64_t metrics_events_waiting = 0;
  bool metrics_idle_time = false;
  bool poll_found_events_waiting = false;  // the current poll's events were ready when it began
  uint64_t timer_counter = 0;
  // (timeout ms, start id, handle): the timer heap, ordered as libuv orders it.
  std::set<std::tuple<uint64_t, uint64_t, uv_timer_t*>> timers;
  // The host's timers (host_callbacks.h), ordered the same way by their own start numbers.
  std::set<std::tuple<uint64_t, uint64_t, uv_timer_t*>> host_timers;
  uint64_t host_timer_counter = 0;
  QueueNode idle_handles, prepare_handles, check_handles, async_handles, handles;
  bool host_async_sent = false;  // a host async handle was sent since the poll phase last ran them
  uv_handle_t* closing_handles = nullptr;  // LIFO, as libuv's
  uv_async_t wq_async;                      // thread-pool completions, the first async of the loop
  std::deque<uv_req_t*> wq_done;            // completed (or cancelled) work in completion order
  uint64_t active_reqs = 0;
  std::unique_ptr<Backend> backend;         // readiness of the loop's descriptors
  std::map<int, uv__io_t*> watchers;        // fd -> watcher (looked up by fd only)
  QueueNode pending_queue;                  // watchers fed for the pending phase
  QueueNode watcher_queue;                  // watchers whose registration changed since the last poll
  // File change events: the loop's inotify descriptor (-1 until the first fs_event starts) and the
  // handles of each of its watches.
  int inotify_fd = -1;
  uv__io_t inotify_watcher;
  std::map<int, InotifyWatch> inotify_watches;
};

// I/O watchers (libuv's uv__io_t): what the loop waits for on one descriptor and whom to call.
void IoInit(uv__io_t* w, uv__io_cb cb, int fd);
void IoStart(uv_loop_t* loop, uv__io_t* w, unsigned events);
void IoStop(uv_loop_t* loop, uv__io_t* w, unsigned events);
void IoClose(uv_loop_t* loop, uv__io_t* w);
// Queues w for the pending phase, where its callback runs with POLLOUT (libuv's uv__io_feed).
void IoFeed(uv_loop_t* loop, uv__io_t* w);
bool RunPending(uv_loop_t* loop);
// Registers with the backend what watchers changed since the last poll (libuv's watcher queue).
void IoFlushWatchers(uv_loop_t* loop);
// Dispatches what the backend reports ready; returns how many watcher callbacks it made (libuv's
// metrics count each as an event).
int IoDispatch(uv_loop_t* loop);

// Socket addresses between libuv's sockaddr and the virtual network's SockAddr (IPv4 and IPv6).
bool FromSockaddr(const sockaddr* addr, SockAddr* out);
void ToSockaddr(const SockAddr& a, sockaddr* out, int* len, bool want_v6);
// getsockname/getpeername's contract: writes at most *namelen bytes of a's sockaddr to name and sets
// *namelen to its full length.
void CopySockaddr(const SockAddr& a, bool want_v6, sockaddr* name, int* namelen);

// UDP: called from uv_close, and from the closing phase before the close callback.
void UdpClose(uv_udp_t* handle);
void UdpFinishClose(uv_udp_t* handle);

// File watching: called from uv_close and uv_loop_close. FsPollClose says whether the handle's close
// callback may run now; if not, MakeClosePending queues it later.
void FsEventClose(uv_fs_event_t* handle);
void CloseInotify(uv_loop_t* loop);
bool FsPollClose(uv_fs_poll_t* handle);
// Copies a name (a path, a host fact) into buffer with libuv's size contract: on success *size is the
// length without the NUL; when the buffer is too small, UV_ENOBUFS and *size is the length needed
// including the NUL.
int CopyName(std::string_view name, char* buffer, size_t* size);
// uv_fs_event_getpath and uv_fs_poll_getpath: the path a watcher handle watches, as CopyName gives it;
// UV_EINVAL (and *size 0) for a handle that is not watching.
int GetWatchedPath(const uv_handle_t* handle, std::string_view path, char* buffer, size_t* size);

// Queues a closing handle for the closing phase (libuv's uv__make_close_pending).
void MakeClosePending(uv_handle_t* handle);

// Streams: called from uv_close and the closing phase.
void StreamClose(uv_stream_t* stream);
void StreamDestroy(uv_stream_t* stream);
void StreamInit(uv_loop_t* loop, uv_stream_t* stream, uv_handle_type type);
int StreamOpen(uv_stream_t* stream, int fd, unsigned flags);
// Makes the stream's watcher accept connections instead of reading.
void SetServerWatcher(uv_stream_t* stream);
void TraceStream(const uv_stream_t* s, std::string_view event, int64_t value);
// Makes req the stream's connect request in flight (registered, traced as submitted); the caller then
// arranges for the stream's watcher to complete it (libuv's uv__stream_connect bookkeeping).
void StartConnectRequest(uv_stream_t* stream, uv_connect_t* req, uv_connect_cb cb);

LoopState& State(const uv_loop_t* loop);
inline Kernel& K() { return runtime::Runtime::Get().kernel(); }

// Milliseconds of the virtual monotonic clock, as libuv's loop time counts them.
uint64_t NowMs();
// After a booting runtime's rehearsal (Runtime::EndRehearsal, which rewinds the clock): the loop's time,
// iteration and timer start count as before it; its timers must all have fired or stopped.
void RewindLoopAfterRehearsal(uv_loop_t* loop);

// Handle bookkeeping (libuv's uv__handle_* helpers).
void HandleInit(uv_loop_t* loop, uv_handle_t* h, uv_handle_type type);
void HandleStart(uv_handle_t* h);
void HandleStop(uv_handle_t* h);
inline bool IsActive(const uv_handle_t* h) { return (h->flags & kActive) != 0; }
inline bool IsClosing(const uv_handle_t* h) { return (h->flags & (kClosing | kClosed)) != 0; }
uint64_t HandleId(const uv_handle_t* h);

void ReqRegister(uv_loop_t* loop, uv_req_t* req);
// A request the program submits on a handle, as libuv's uv__req_init: its type, a fresh id, and
// registered on the loop (it keeps the loop alive until ReqUnregister).
void ReqInit(uv_loop_t* loop, uv_req_t* req, uv_req_type type);
void ReqUnregister(uv_loop_t* loop, uv_req_t* req);
uint64_t ReqId(const uv_req_t* req);
std::string_view ReqKindName(uv_req_type type);
void SetReqId(uv_req_t* req, uint64_t id);

// Trace helpers: an event in the loop's current phase.
// An event the program itself reports (a line written to the trace sink): "NAME" or "NAME {json fields}",
// traced as "js.NAME" at the running loop's current iteration and phase.
void TraceProgramEvent(std::string_view line);
// A uv_async_send while the check preload reports a MessagePort send (its trace::program::kMessageSend):
// traced as trace::event::kAsyncSend on the sending thread, naming the handle woken, so the invariant
// monitor learns which port the message is queued for. Untraced otherwise.
void TraceAsyncSend(const uv_async_t* h);
void TraceEvent(const uv_loop_t* loop, std::string_view event, const TraceFields& fields);
// `extra` is more fields for the event, after the handle's kind and id (the timer family adds its deadline
// and start id).
void TraceHandle(const uv_handle_t* h, std::string_view event, const TraceFields& extra = TraceFields());
// `op` names an fs request's operation ("" for other requests).
void TraceReq(const uv_loop_t* loop, const uv_req_t* req, std::string_view event, std::string_view kind,
              std::string_view op = {});

// Invokes a callback from the loop: traced before (with `extra` fields), CPU time charged after.
template <typename Fn>
void RunCallback(const uv_handle_t* h, Fn&& fn, const TraceFields& extra = TraceFields()) {
  if (!(h->flags & kUntraced)) TraceHandle(h, trace::event::kCallback, extra);
  fn();
  if (!(h->flags & kUntraced)) runtime::Runtime::Get().ChargeCallback();
}

// Per-family hooks called by uv_run and uv_close.
void RunTimers(uv_loop_t* loop);
int NextTimeoutMs(const uv_loop_t* loop);
void TimerClose(uv_timer_t* t);
void RunIdle(uv_loop_t* loop);
void RunPrepare(uv_loop_t* loop);
void RunCheck(uv_loop_t* loop);
void IdleClose(uv_idle_t* h);
void PrepareClose(uv_prepare_t* h);
void CheckClose(uv_check_t* h);
void AsyncClose(uv_async_t* h);
void AsyncWakeup(uv_loop_t* loop);  // the loop's wakeup source was ready
void RunHostAsyncs(uv_loop_t* loop);
void RunHostTimers(uv_loop_t* loop);
void SignalClose(uv_signal_t* h);
void DispatchSignals(uv_loop_t* loop);
// uv_loop_fork's part for signals: the loop's handles forget what they caught and did not dispatch.
void SignalLoopFork(uv_loop_t* loop);
void WorkDone(uv_async_t* wq_async);  // runs completed thread-pool callbacks
// Submits thread-pool work for req; `work` runs at its finishing instant, then `after` runs in the loop.
void SubmitWork(uv_loop_t* loop, uv_req_t* req, std::function<void()> work, std::function<void(int)> after);
// SubmitWork for a request the program just made: it gets a fresh id and is traced as submitted (`kind`).
void SubmitNewWork(uv_loop_t* loop, uv_req_t* req, std::string_view kind, std::function<void()> work,
                   std::function<void(int)> after);
int CancelWork(uv_req_t* req);

// Drops the default loop's simulated state (the simulation it belonged to is over): the next
// uv_default_loop() starts a fresh one.
void ForgetDefaultLoop();
// The loop a host that also runs loops of its own on the real libuv simulates: uv_default_loop's.
bool IsSimulatedLoop(const uv_loop_t* loop);

// Ends the process because a uv_* function loopsim does not simulate was reached.
[[noreturn]] void Unsimulated(const char* function);
// Ends the run (exit code 70) when a spawn that is not child_process's would start a node program (a
// private loop's: spawnSync); returns for any other command, which this machine does not have
// (process.cc).
void JudgeSpawn(const uv_process_options_t* options);
// Descriptors passed over IPC pipes (ipc.cc): the two ends of a child's IPC channel; uv_write2 of a
// handle; the bytes a write put in; how much a read may take (never past a byte that carries a
// descriptor); what a read took (a descriptor that came with it becomes the pipe's pending one); an end
// that is closed.
void IpcRegisterPair(const FileDescription* a, const FileDescription* b);
int IpcAttach(uv_stream_t* stream, uv_stream_t* send_handle);
void IpcWritten(const uv_stream_t* stream, int64_t n);
size_t IpcReadLimit(const uv_stream_t* stream, size_t len);
void IpcRead(uv_stream_t* stream, int64_t n);
void IpcForget(const FileDescription* d);
// Asserts the caller is the simulation's thread (the loop is single-threaded by design).
void CheckSimulationThread(const char* function);

}  // namespace loopsim::uv
