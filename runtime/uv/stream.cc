// Streams, TCP and pipe handles alike (pipe.cc): reading, writing, shutdown, listen and accept, and what
// closing a stream does to requests in flight. The logic follows libuv 1.44's src/unix/stream.c, which
// serves both: reads happen when the backend reports the descriptor readable, up to 32 reads of 64 KiB
// per wake-up; a write is tried at once when nothing is queued, and its callback runs from the
// pending phase; shutdown waits for the write queue to drain; closing cancels what is still queued.
// Where the backend is Windows' (backend.h, IssuesInTheCall), the calls that want I/O also issue it at
// once, what completes there runs from the pending queue and is issued again once processed while the
// stream still wants it, and a listener takes one connection per completed accept.
#include <poll.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

size_t CountBufs(const uv_buf_t* bufs, unsigned n) {
  size_t total = 0;
  for (unsigned i = 0; i < n; ++i) total += bufs[i].len;
  return total;
}

size_t WriteReqSize(uv_write_t* req) {
  return CountBufs(req->bufs + req->write_index, req->nbufs - req->write_index);
}

// Writes as much of bufs as the socket takes now: bytes written, or UV_EAGAIN, or an error.
int64_t TryWrite(uv_stream_t* stream, const uv_buf_t* bufs, unsigned nbufs) {
  FileDescription* d = K().vfs().Description(stream->io_watcher.fd);
  if (d == nullptr) return UV_EBADF;
  int64_t total = 0;
  for (unsigned i = 0; i < nbufs; ++i) {
    if (bufs[i].len == 0) continue;
    int64_t n = d->Write(bufs[i].base, bufs[i].len);
    // As libuv's uv__try_write: an interrupted write is tried again at once, never reported (a spurious
    // EINTR reached Node as "write EINTR" before).
    while (n == -EINTR) n = d->Write(bufs[i].base, bufs[i].len);
    if (n < 0) return total > 0 ? total : (n == -EAGAIN ? int64_t{UV_EAGAIN} : n);
    IpcWritten(stream, n);
    total += n;
    if (static_cast<size_t>(n) < bufs[i].len) break;
  }
  return total;
}

// Advances req past n written bytes; true when all of it is written.
bool WriteReqUpdate(uv_stream_t* stream, uv_write_t* req, size_t n) {
  stream->write_queue_size -= n;
  while (req->write_index < req->nbufs) {
    uv_buf_t& b = req->bufs[req->write_index];
    const size_t take = std::min(n, b.len);
    b.base += take;
    b.len -= take;
    n -= take;
    if (b.len != 0) break;
    ++req->write_index;
  }
  return req->write_index == req->nbufs;
}

void WriteReqFinish(uv_write_t* req) {
  uv_stream_t* stream = req->handle;
  QueueRemove(req->queue);
  if (req->error == 0) {
    if (req->bufs != req->bufsml) std::free(req->bufs);
    req->bufs = nullptr;
  }
  QueueInsertTail(stream->write_completed_queue, req->queue);
  IoFeed(stream->loop, &stream->io_watcher);
}

void Write(uv_stream_t* stream) {
  // Up to libuv 1.44 an attempt ends with the first request it completes; from 1.45 it goes on to the
  // next queued one, up to 32 more, so later requests reach the peer in the same attempt.
  int more = Follows(Change::kWritesContinueToTheNextRequest) ? 32 : 0;
  while (!QueueEmpty(stream->write_queue)) {
    uv_write_t* req = QueueData<uv_write_t>(QNext(stream->write_queue), offsetof(uv_write_t, queue));
    const int64_t n = TryWrite(stream, req->bufs + req->write_index, req->nbufs - req->write_index);
    if (n >= 0) {
      if (WriteReqUpdate(stream, req, static_cast<size_t>(n))) {
        WriteReqFinish(req);
        if (more-- > 0) continue;
        return;
      }
    } else if (n != UV_EAGAIN) {
      req->error = static_cast<int>(n);
      WriteReqFinish(req);
      IoStop(stream->loop, &stream->io_watcher, POLLOUT);
      return;
    }
    IoStart(stream->loop, &stream->io_watcher, POLLOUT);
    return;
  }
}

void WriteCallbacks(uv_stream_t* stream) {
  for (uv_write_t* req : TakeRequests<uv_write_t>(stream->write_completed_queue)) {
    ReqUnregister(stream->loop, reinterpret_cast<uv_req_t*>(req));
    if (req->bufs != nullptr) {
      stream->write_queue_size -= WriteReqSize(req);
      if (req->bufs != req->bufsml) std::free(req->bufs);
      req->bufs = nullptr;
    }
    TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kCallback, trace::kind::kWrite);
    if (req->cb != nullptr) {
      req->cb(req, req->error);
      runtime::Runtime::Get().ChargeCallback();
    }
  }
}

void FlushWriteQueue(uv_stream_t* stream, int error) {
  while (!QueueEmpty(stream->write_queue)) {
    void** q = QNext(stream->write_queue);
    QueueRemove(q);
    uv_write_t* req = QueueData<uv_write_t>(q, offsetof(uv_write_t, queue));
    req->error = error;
    QueueInsertTail(stream->write_completed_queue, q);
  }
}

void Drain(uv_stream_t* stream) {
  if (!(stream->flags & kClosing)) IoStop(stream->loop, &stream->io_watcher, POLLOUT);
  if (!(stream->flags & kShutting)) return;
  uv_shutdown_t* req = stream->shutdown_req;
  if ((stream->flags & kClosing) || !(stream->flags & kShut)) {
    stream->shutdown_req = nullptr;
    stream->flags &= ~kShutting;
    ReqUnregister(stream->loop, reinterpret_cast<uv_req_t*>(req));
    int err = 0;
    if (stream->flags & kClosing) {
      err = UV_ECANCELED;
    } else {
      auto* socket = dynamic_cast<StreamSocket*>(K().vfs().Description(stream->io_watcher.fd));
      err = socket != nullptr ? socket->ShutdownWrite() : UV_ENOTSOCK;
      if (err == 0) stream->flags |= kShut;
    }
    // Test-only: the request is done and unregistered, but its callback is lost.
    if (runtime::Runtime::Get().options().mutations.drop_shutdown_cb) return;
    TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kCallback, trace::kind::kShutdown);
    if (req->cb != nullptr) {
      req->cb(req, err);
      runtime::Runtime::Get().ChargeCallback();
    }
  }
}

void Eof(uv_stream_t* stream, const uv_buf_t* buf) {
  stream->flags |= kReadEof;
  stream->flags &= ~kReading;
  IoStop(stream->loop, &stream->io_watcher, POLLIN);
  HandleStop(reinterpret_cast<uv_handle_t*>(stream));
  TraceStream(stream, trace::event::kRead, UV_EOF);
  stream->read_cb(stream, UV_EOF, buf);
}

void Read(uv_stream_t* stream) {
  stream->flags &= ~kReadPartial;
  int count = 32;
  while (stream->read_cb != nullptr && (stream->flags & kReading) && count-- > 0) {
    uv_buf_t buf{};
    stream->alloc_cb(reinterpret_cast<uv_handle_t*>(stream), 64 * 1024, &buf);
    if (buf.base == nullptr || buf.len == 0) {
      stream->read_cb(stream, UV_ENOBUFS, &buf);
      return;
    }
    FileDescription* d = K().vfs().Description(stream->io_watcher.fd);
    const size_t len = IpcReadLimit(stream, buf.len);
    int64_t nread = d != nullptr ? d->Read(buf.base, len) : -EBADF;
    while (nread == -EINTR) nread = d->Read(buf.base, len);
    IpcRead(stream, nread);
    if (nread < 0) {
      if (nread == -EAGAIN) {
        if (stream->flags & kReading) IoStart(stream->loop, &stream->io_watcher, POLLIN);
        stream->read_cb(stream, 0, &buf);
      } else {
        stream->flags &= ~(kReadable | kWritable);
        TraceStream(stream, trace::event::kRead, nread);
        stream->read_cb(stream, static_cast<ssize_t>(nread), &buf);
        if (stream->flags & kReading) {
          stream->flags &= ~kReading;
          IoStop(stream->loop, &stream->io_watcher, POLLIN);
          HandleStop(reinterpret_cast<uv_handle_t*>(stream));
        }
      }
      return;
    }
    if (nread == 0) {
      Eof(stream, &buf);
      return;
    }
    TraceStream(stream, trace::event::kRead, nread);
    stream->read_cb(stream, static_cast<ssize_t>(nread), &buf);
    if (static_cast<size_t>(nread) < len) {
      stream->flags |= kReadPartial;
      return;
    }
  }
}

void Connect(uv_stream_t* stream) {
  uv_connect_t* req = stream->connect_req;
  int error;
  if (stream->delayed_error != 0) {
    error = stream->delayed_error;
    stream->delayed_error = 0;
  } else {
    auto* socket = dynamic_cast<StreamSocket*>(K().vfs().Description(stream->io_watcher.fd));
    const uint32_t level = socket->Poll();
    if (!(level & (kPollOut | kPollErr | kPollHup))) return;  // still in progress
    error = socket->TakeError();
  }
  stream->connect_req = nullptr;
  ReqUnregister(stream->loop, reinterpret_cast<uv_req_t*>(req));
  if (error < 0 || QueueEmpty(stream->write_queue)) IoStop(stream->loop, &stream->io_watcher, POLLOUT);
  TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kCallback, trace::kind::kConnect);
  if (req->cb != nullptr) {
    req->cb(req, error);
    runtime::Runtime::Get().ChargeCallback();
  }
  if (stream->io_watcher.fd == -1) return;
  if (error < 0) {
    FlushWriteQueue(stream, UV_ECANCELED);
    WriteCallbacks(stream);
  }
}

void IssueIo(uv_stream_t* stream);

// Once a completion taken from the pending queue is processed, what the stream still wants is issued
// again, as the backend does after a completion from the port (AfterDispatch) and Windows libuv after
// each request it processes: the writes queued behind a connect, the rest of a write queue an attempt
// left. Without it nothing would complete them: the pending queue is not polled.
void IssueAgain(uv_stream_t* stream) {
  if (stream->io_watcher.fd != -1 && !(stream->flags & kClosing)) IssueIo(stream);
}

// The watcher callback of a connected (or connecting) stream.
void StreamIo(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  auto* stream = reinterpret_cast<uv_stream_t*>(reinterpret_cast<char*>(w) - offsetof(uv_stream_t, io_watcher));
  LS_CHECK(!(stream->flags & kClosing));
  // Operations that completed when they were issued come from the pending queue (backend.h, Issue).
  const unsigned completed = State(loop).backend->TakeCompletedAtIssue(w->fd);
  if (stream->connect_req != nullptr) {
    Connect(stream);
    if (completed != 0) IssueAgain(stream);
    return;
  }
  // A hang-up ends the stream without another read: up to libuv 1.51 after a short read (the rest
  // would be the end of file), from 1.52 only when the descriptor is not also readable, so data and the
  // end of file that arrive together are read in one callback and end in a later one.
  const bool hangup_waits_for_read = Follows(Change::kHangupWithDataWaitsForTheRead);
  if ((events | completed) & (POLLIN | POLLERR | (hangup_waits_for_read ? 0 : POLLHUP))) Read(stream);
  if (stream->io_watcher.fd == -1) return;  // the read callback closed the stream
  // Windows libuv issues its read again once a completed one is processed (src/win/tcp.c,
  // uv__process_tcp_read_req); a completion from the port is issued again by the backend.
  if ((completed & POLLIN) && (stream->flags & kReading)) IssueIo(stream);
  const bool hangup_is_eof =
      hangup_waits_for_read ? !((events | completed) & POLLIN) : (stream->flags & kReadPartial) != 0;
  if ((events & POLLHUP) && (stream->flags & kReading) && hangup_is_eof && !(stream->flags & kReadEof)) {
    uv_buf_t buf = {nullptr, 0};
    Eof(stream, &buf);
  }
  if (stream->io_watcher.fd == -1) return;
  if (events & (POLLOUT | POLLERR | POLLHUP)) {
    Write(stream);
    WriteCallbacks(stream);
    if (QueueEmpty(stream->write_queue)) Drain(stream);
  }
  if (completed != 0) IssueAgain(stream);
}

// libuv >= 1.45's listening stream: one accept per readiness report. An error is the program's only if
// it shows later; a full descriptor table sheds the waiting connections (accepted and closed at once,
// libuv's uv__emfile_trick) so their peers learn of it.
void ServerIoOnePerWakeup(uv_loop_t* loop, uv_stream_t* stream) {
  auto* listener = dynamic_cast<StreamSocket*>(K().vfs().Description(stream->io_watcher.fd));
  std::shared_ptr<StreamSocket> accepted;
  int err = listener->Accept(&accepted);
  if (err == -EMFILE || err == -ENFILE) {
    do {
      accepted.reset();
      err = listener->Accept(&accepted);
      if (err == 0) K().vfs().Close(K().vfs().AddDescription(std::move(accepted)));
    } while (err == 0 || err == -EINTR);
  }
  if (err < 0) return;
  TraceHandle(reinterpret_cast<uv_handle_t*>(stream), trace::event::kConnection);
  stream->accepted_fd = K().vfs().AddDescription(std::move(accepted));
  stream->connection_cb(stream, 0);
  runtime::Runtime::Get().ChargeCallback();
  if (stream->accepted_fd != -1) IoStop(loop, &stream->io_watcher, POLLIN);  // wait until it accepts
}

// The watcher callback of a listening stream. Up to libuv 1.44 it accepts while connections wait and
// the callback takes them, reporting accept errors to the callback; on kqueue it stops once it has
// accepted as many as kevent reported waiting, so a connection made meanwhile (by this callback or an
// earlier one of the same poll, which loopback delivers inside the connect) waits for the next report.
// From 1.45 it accepts one (src/unix/stream.c, uv__server_io).
void ServerIo(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  auto* stream = reinterpret_cast<uv_stream_t*>(reinterpret_cast<char*>(w) - offsetof(uv_stream_t, io_watcher));
  if (Follows(Change::kAcceptsOneConnectionPerWakeup)) {
    ServerIoOnePerWakeup(loop, stream);
    return;
  }
  IoStart(loop, &stream->io_watcher, POLLIN);
  int64_t reported = State(loop).backend->ReportedReadCount(w->fd);  // -1: no count to keep to
  while (stream->io_watcher.fd != -1) {
    if (reported == 0) return;
    auto* listener = dynamic_cast<StreamSocket*>(K().vfs().Description(stream->io_watcher.fd));
    std::shared_ptr<StreamSocket> accepted;
    const int err = listener->Accept(&accepted);
    if (err == -EAGAIN) return;
    if (err == -ECONNABORTED) continue;
    TraceHandle(reinterpret_cast<uv_handle_t*>(stream), trace::event::kConnection);
    if (err < 0) {
      stream->connection_cb(stream, err);
      runtime::Runtime::Get().ChargeCallback();
      continue;
    }
    if (reported > 0) --reported;
    stream->accepted_fd = K().vfs().AddDescription(std::move(accepted));
    stream->connection_cb(stream, 0);
    runtime::Runtime::Get().ChargeCallback();
    if (stream->accepted_fd != -1) {
      IoStop(loop, &stream->io_watcher, POLLIN);  // the callback did not accept: wait until it does
      return;
    }
    if (State(loop).backend->AcceptsOnePerCompletion()) return;
  }
}

// Whether a write of nbufs buffers is refused outright (nbufs == 0 failed an assertion before 1.52).
bool BadBufferCount(unsigned int nbufs) {
  return nbufs < 1 || (nbufs > 1024 * 1024 && Follows(Change::kWritesRefuseHugeBufferCounts));
}

// Tells the backend that a libuv call has just asked for what the stream's watcher holds (backend.h,
// Issue).
void IssueIo(uv_stream_t* stream) {
  Backend& backend = *State(stream->loop).backend;
  FileDescription* d = K().vfs().Description(stream->io_watcher.fd);
  if (!backend.IssuesInTheCall() || d == nullptr || stream->io_watcher.pevents == 0) return;
  Backend::IssueOptions options;
  options.skip_port = stream->type == UV_TCP;  // Windows skips the port on success for TCP sockets only
  options.listener = stream->io_watcher.cb == ServerIo;
  const unsigned completed = backend.Issue(stream->io_watcher.fd, d, stream->io_watcher.pevents, options);
  stream->io_watcher.events = stream->io_watcher.pevents;  // what the backend knows, as after a flush
  if (completed != 0) IoFeed(stream->loop, &stream->io_watcher);
}

}  // namespace

void StartConnectRequest(uv_stream_t* stream, uv_connect_t* req, uv_connect_cb cb) {
  ReqInit(stream->loop, reinterpret_cast<uv_req_t*>(req), UV_CONNECT);
  req->cb = cb;
  req->handle = stream;
  QueueInit(req->queue);
  stream->connect_req = req;
  TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kConnect);
}

void TraceStream(const uv_stream_t* s, std::string_view event, int64_t value) {
  TraceHandle(reinterpret_cast<const uv_handle_t*>(s), event, TraceFields().Int(trace::key::kCount, value));
}

void StreamInit(uv_loop_t* loop, uv_stream_t* stream, uv_handle_type type) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(stream), type);
  stream->read_cb = nullptr;
  stream->alloc_cb = nullptr;
  stream->connection_cb = nullptr;
  stream->connect_req = nullptr;
  stream->shutdown_req = nullptr;
  stream->accepted_fd = -1;
  stream->queued_fds = nullptr;
  stream->delayed_error = 0;
  QueueInit(stream->write_queue);
  QueueInit(stream->write_completed_queue);
  stream->write_queue_size = 0;
  IoInit(&stream->io_watcher, StreamIo, -1);
}

int StreamOpen(uv_stream_t* stream, int fd, unsigned flags) {
  if (stream->io_watcher.fd != -1 && stream->io_watcher.fd != fd) return UV_EBUSY;
  stream->flags |= flags;
  stream->io_watcher.fd = fd;
  return 0;
}

void StreamClose(uv_stream_t* stream) {
  IoClose(stream->loop, &stream->io_watcher);
  uv_read_stop(stream);
  HandleStop(reinterpret_cast<uv_handle_t*>(stream));
  stream->flags &= ~(kReadable | kWritable);
  if (stream->io_watcher.fd != -1) {
    if (stream->type == UV_NAMED_PIPE && reinterpret_cast<uv_pipe_t*>(stream)->ipc) {
      IpcForget(K().vfs().Description(stream->io_watcher.fd));
    }
    K().vfs().Close(stream->io_watcher.fd);
    stream->io_watcher.fd = -1;
  }
  if (stream->accepted_fd != -1) {
    K().vfs().Close(stream->accepted_fd);
    stream->accepted_fd = -1;
  }
}

void StreamDestroy(uv_stream_t* stream) {
  if (stream->connect_req != nullptr) {
    uv_connect_t* req = stream->connect_req;
    stream->connect_req = nullptr;
    ReqUnregister(stream->loop, reinterpret_cast<uv_req_t*>(req));
    TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kCallback, trace::kind::kConnect);
    if (req->cb != nullptr) {
      req->cb(req, UV_ECANCELED);
      runtime::Runtime::Get().ChargeCallback();
    }
  }
  FlushWriteQueue(stream, UV_ECANCELED);
  WriteCallbacks(stream);
  Drain(stream);
  LS_CHECK(stream->write_queue_size == 0);
}

void SetServerWatcher(uv_stream_t* stream) { stream->io_watcher.cb = ServerIo; }

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_listen(uv_stream_t* stream, int backlog, uv_connection_cb cb) {
  if (IsClosing(reinterpret_cast<uv_handle_t*>(stream))) return UV_EINVAL;
  if (stream->type != UV_TCP && stream->type != UV_NAMED_PIPE) return UV_EINVAL;
  if (stream->delayed_error != 0) return stream->delayed_error;
  auto* socket = dynamic_cast<loopsim::StreamSocket*>(K().vfs().Description(stream->io_watcher.fd));
  if (socket == nullptr) return UV_EINVAL;
  const int err = socket->Listen(backlog);
  if (err < 0) return err;
  stream->connection_cb = cb;
  stream->flags |= kBound;
  SetServerWatcher(stream);
  IoStart(stream->loop, &stream->io_watcher, POLLIN);
  IssueIo(stream);
  HandleStart(reinterpret_cast<uv_handle_t*>(stream));
  return 0;
}

int uv_accept(uv_stream_t* server, uv_stream_t* client) {
  if (server->accepted_fd == -1) return UV_EAGAIN;
  if (client->type != UV_TCP && client->type != UV_NAMED_PIPE) return UV_EINVAL;
  int err = StreamOpen(client, server->accepted_fd, kReadable | kWritable);
  if (err != 0) K().vfs().Close(server->accepted_fd);
  client->flags |= kBound;
  // A connection accepted on an IPv6 (dual-stack) listener is an IPv6 socket: it names IPv4 peers in
  // their v4-mapped form, as on Linux.
  if (server->flags & kIpv6) client->flags |= kIpv6;
  server->accepted_fd = -1;
  if (err == 0) IoStart(server->loop, &server->io_watcher, POLLIN);
  return err;
}

int uv_read_start(uv_stream_t* stream, uv_alloc_cb alloc_cb, uv_read_cb read_cb) {
  if (stream == nullptr || alloc_cb == nullptr || read_cb == nullptr) return UV_EINVAL;
  if (stream->flags & kClosing) return UV_EINVAL;
  if (stream->flags & kReading) return UV_EALREADY;
  if (!(stream->flags & kReadable)) return UV_ENOTCONN;
  stream->flags |= kReading;
  stream->flags &= ~kReadEof;
  stream->read_cb = read_cb;
  stream->alloc_cb = alloc_cb;
  IoStart(stream->loop, &stream->io_watcher, POLLIN);
  IssueIo(stream);
  HandleStart(reinterpret_cast<uv_handle_t*>(stream));
  return 0;
}

int uv_read_stop(uv_stream_t* stream) {
  if (!(stream->flags & kReading)) return 0;
  stream->flags &= ~kReading;
  IoStop(stream->loop, &stream->io_watcher, POLLIN);
  HandleStop(reinterpret_cast<uv_handle_t*>(stream));
  stream->read_cb = nullptr;
  stream->alloc_cb = nullptr;
  return 0;
}

int uv_write2(uv_write_t* req, uv_stream_t* stream, const uv_buf_t bufs[], unsigned int nbufs,
              uv_stream_t* send_handle, uv_write_cb cb) {
  if (BadBufferCount(nbufs)) return UV_EINVAL;
  if (stream->io_watcher.fd < 0) return UV_EBADF;
  if (!(stream->flags & kWritable)) return UV_EPIPE;
  if (send_handle != nullptr) {
    const int err = IpcAttach(stream, send_handle);
    if (err != 0) return err;
  }
  const bool empty_queue = stream->write_queue_size == 0;
  ReqInit(stream->loop, reinterpret_cast<uv_req_t*>(req), UV_WRITE);
  req->cb = cb;
  req->handle = stream;
  req->error = 0;
  req->send_handle = nullptr;
  QueueInit(req->queue);
  req->bufs = nbufs <= 4 ? req->bufsml : static_cast<uv_buf_t*>(std::malloc(sizeof(uv_buf_t) * nbufs));
  std::memcpy(req->bufs, bufs, sizeof(uv_buf_t) * nbufs);
  req->nbufs = nbufs;
  req->write_index = 0;
  stream->write_queue_size += CountBufs(bufs, nbufs);
  QueueInsertTail(stream->write_queue, req->queue);
  TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kWrite);
  if (stream->connect_req != nullptr) {
    // Written once connected.
  } else {
    if (empty_queue) {
      Write(stream);
    } else {
      IoStart(stream->loop, &stream->io_watcher, POLLOUT);
    }
    if (stream->io_watcher.pevents & POLLOUT) IssueIo(stream);
  }
  return 0;
}

int uv_write(uv_write_t* req, uv_stream_t* handle, const uv_buf_t bufs[], unsigned int nbufs, uv_write_cb cb) {
  return uv_write2(req, handle, bufs, nbufs, nullptr, cb);
}

int uv_try_write(uv_stream_t* stream, const uv_buf_t bufs[], unsigned int nbufs) {
  return uv_try_write2(stream, bufs, nbufs, nullptr);
}

// Passing a handle here is not simulated: node passes handles with uv_write2 only (ipc.cc).
int uv_try_write2(uv_stream_t* stream, const uv_buf_t bufs[], unsigned int nbufs, uv_stream_t* send_handle) {
  if (send_handle != nullptr) Unsimulated("uv_try_write2 (passing a handle)");
  if (stream->connect_req != nullptr || stream->write_queue_size != 0) return UV_EAGAIN;
  if (BadBufferCount(nbufs)) return UV_EINVAL;
  if (stream->io_watcher.fd < 0) return UV_EBADF;
  if (!(stream->flags & kWritable)) return UV_EPIPE;
  if (stream->type == UV_NAMED_PIPE && !State(stream->loop).backend->TryWriteToPipes()) return UV_EAGAIN;
  const int64_t n = TryWrite(stream, bufs, nbufs);
  if (n >= 0) TraceStream(stream, trace::event::kTryWrite, n);
  return static_cast<int>(n);
}

int uv_shutdown(uv_shutdown_t* req, uv_stream_t* stream, uv_shutdown_cb cb) {
  if (!(stream->flags & kWritable) || (stream->flags & (kShut | kShutting)) ||
      IsClosing(reinterpret_cast<uv_handle_t*>(stream))) {
    return UV_ENOTCONN;
  }
  ReqInit(stream->loop, reinterpret_cast<uv_req_t*>(req), UV_SHUTDOWN);
  req->handle = stream;
  req->cb = cb;
  stream->shutdown_req = req;
  stream->flags |= kShutting;
  stream->flags &= ~kWritable;
  TraceReq(stream->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kShutdown);
  if (QueueEmpty(stream->write_queue)) IoFeed(stream->loop, &stream->io_watcher);
  return 0;
}

size_t uv_stream_get_write_queue_size(const uv_stream_t* stream) { return stream->write_queue_size; }

int uv_is_readable(const uv_stream_t* stream) { return (stream->flags & kReadable) ? 1 : 0; }
int uv_is_writable(const uv_stream_t* stream) { return (stream->flags & kWritable) ? 1 : 0; }

// Blocking writes only change how a real write waits; simulated writes never block the loop.
int uv_stream_set_blocking(uv_stream_t* handle, int blocking) { return 0; }

}  // extern "C"
