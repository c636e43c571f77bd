// The loop's view of its I/O backend: the one interface through which uv_run's poll phase learns which
// descriptors are ready. Implementations follow the readiness model of a platform's libuv (epoll on
// Linux; kqueue and IOCP are the other personalities DESIGN.md names).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "fakeos/kernel.h"

namespace loopsim::uv {

class Backend {
 public:
  virtual ~Backend() = default;
  // Sets the events (POLLIN/POLLOUT bits, as libuv's uv__io_t::pevents) the loop waits for on fd;
  // 0 removes fd. `d` is the kernel object behind fd.
  virtual void Update(int fd, FileDescription* d, unsigned events) = 0;
  // Takes up to `max` ready (fd, events) pairs, events as POLL* bits.
  virtual void Collect(std::vector<std::pair<int, unsigned>>* out, int max) = 0;
  // The kernel source that is signalled when something became ready.
  virtual SourceId source() const = 0;
  // Called after the callbacks of what Collect returned have run.
  virtual void AfterDispatch() {}
  // How a handle's overlapped operations behave on Windows (Issue).
  struct IssueOptions {
    // An operation the kernel completes inside the issuing call bypasses the completion port: TCP
    // sockets are set FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (src/win/tcp.c, uv__tcp_set_socket) and
    // libuv puts the request on its pending queue at once (uv__insert_pending_req); a pipe's completion
    // is a packet like any other.
    bool skip_port = false;
    // A listener: each connection completes one of the accepts libuv keeps issued (AcceptEx,
    // ConnectNamedPipe), and its callback takes that one connection.
    bool listener = false;
  };
  // Whether a libuv call on a stream issues its operations at once (Issue). Unix libuv only queues the
  // watcher for the next poll phase (src/unix/core.c, uv__io_start), which Update models; Windows libuv
  // issues the overlapped operation inside the call (src/win/tcp.c: AcceptEx in uv__tcp_listen, WSARecv
  // in uv__tcp_read_start, WSASend in uv__tcp_write, ConnectEx in uv__tcp_try_connect).
  virtual bool IssuesInTheCall() const { return false; }
  // Where IssuesInTheCall: a libuv call on a stream (uv_listen, uv_read_start, a uv_write that has to
  // wait for room, uv_tcp_connect) has just asked for the events its watcher now holds (`events`); this
  // tells the backend what a flush would (Update) and issues the operations. Returns the events whose
  // operations completed inside the call and wait on the loop's pending queue: the caller feeds the
  // watcher (IoFeed), and its callback takes them with TakeCompletedAtIssue.
  virtual unsigned Issue(int fd, FileDescription* d, unsigned events, IssueOptions options) { return 0; }
  // The events of fd whose operations completed at issue and were not taken yet; once taken, they can
  // be issued again, which the stream does once it has processed them (what it still wants).
  virtual unsigned TakeCompletedAtIssue(int fd) { return 0; }
  // Whether a listener's watcher callback accepts one connection per call. Unix libuv accepts until the
  // queue is empty (src/unix/stream.c, uv__server_io); Windows libuv gets one connection per completed
  // accept (src/win/tcp.c, uv__process_tcp_accept_req).
  virtual bool AcceptsOnePerCompletion() const { return false; }
  // How many connections the poll that reported fd readable counted waiting on it (kevent's `data` for
  // a listener's EVFILT_READ), or -1 when the backend reports readiness without a count. libuv's kqueue
  // backend keeps that count as the watcher's rcount, and up to 1.44 a listener accepts at most that
  // many per report (src/unix/kqueue.c, uv__io_poll; src/unix/stream.c, uv__server_io); epoll's
  // readiness has no count.
  virtual int64_t ReportedReadCount(int fd) const { return -1; }
  // Whether uv_try_write can write to a pipe. Unix libuv writes to a pipe as to any non-blocking
  // descriptor; Windows libuv has no non-blocking pipe write and answers UV_EAGAIN for every pipe, so a
  // pipe write always completes through uv_write (src/win/stream.c, uv_try_write).
  virtual bool TryWriteToPipes() const { return true; }
  // Whether a pipe connect that succeeded at once is reported from the pending phase. Unix libuv waits
  // for the socket to poll writable (src/unix/pipe.c); Windows libuv queues the request as pending
  // (src/win/pipe.c, uv_pipe_connect).
  virtual bool PipeConnectCompletesPending() const { return false; }
  // Which events uv_metrics_info counts as waiting (ready when the poll began). Unix libuv counts a
  // poll's events only when idle-time metrics made it poll once without waiting first
  // (src/unix/linux.c, src/unix/kqueue.c, uv__io_poll); Windows libuv counts every packet dequeued by a
  // poll whose timeout was 0 (src/win/core.c, uv__poll).
  virtual bool CountsZeroTimeoutPollEventsAsWaiting() const { return false; }
  // Whether unix-socket names may live in Linux's abstract namespace (a leading NUL byte, an empty
  // name autobinding), which libuv supports on Linux only (src/unix/pipe.c).
  virtual bool HasAbstractSocketNamespace() const { return false; }
  // Whether UV_TCP_REUSEPORT and UV_UDP_REUSEPORT share a port between sockets (Linux's SO_REUSEPORT);
  // elsewhere libuv refuses them with UV_ENOTSUP (src/unix/core.c, uv__sock_reuseport; src/win).
  virtual bool SharesPortsWithReusePort() const { return false; }
  // Whether uv_loop_configure accepts UV_LOOP_USE_IO_URING_SQPOLL (Linux only: src/unix/loop.c).
  virtual bool AcceptsIoUringSqpoll() const { return false; }
  // Whether signals (and a child's exit, which unix libuv learns of through SIGCHLD) found by a poll are
  // handled after every other event of that poll: unix libuv notes the signal pipe's readiness and
  // reads it once the poll's other events have run (src/unix/linux.c, src/unix/kqueue.c). Windows
  // libuv has no signal pipe: a child's exit is one completion among the others (src/win/process.c).
  virtual bool DispatchesSignalsLast() const { return true; }
};

// libuv's Linux backend: one epoll instance, level-triggered registrations.
std::unique_ptr<Backend> NewEpollBackend(Kernel& kernel);
// libuv's macOS/BSD backend: kqueue, one callback per reported filter.
std::unique_ptr<Backend> NewKqueueBackend(Kernel& kernel);
// libuv's Windows backend, as a completion port: packets in completion order, re-posted operations.
std::unique_ptr<Backend> NewIocpBackend(Kernel& kernel);
// The backend with one of kBackendNames (backend_names.h); null for any other name.
std::unique_ptr<Backend> NewBackend(std::string_view name, Kernel& kernel);

}  // namespace loopsim::uv
