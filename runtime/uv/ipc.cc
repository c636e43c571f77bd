// Passing descriptors over an IPC pipe (uv_write2 with a handle, as cluster's primary hands a
// connection to a worker, and child.send(message, socket)): what SCM_RIGHTS does on a unix socket. The
// descriptor sent is duplicated when the write is made and travels with the write's first byte; the
// reading end gets it, pending (uv_pipe_pending_count, uv_accept), with the read that returns that byte,
// and a read never runs past a byte that carries one, so each read brings at most one. Only the IPC
// channels of simulated child processes carry descriptors (process.cc registers them).
#include <map>
#include <vector>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

struct Attachment {
  int64_t offset;  // the stream position of the byte it travels with
  int fd;          // the duplicate it delivers
};

struct End {
  const FileDescription* peer = nullptr;
  int64_t written = 0;  // bytes written into this end
  int64_t read = 0;     // bytes read from this end
  std::vector<Attachment> arriving;  // sent by the peer, in stream order
};

std::map<const FileDescription*, End>& Ends() {
  static std::map<const FileDescription*, End> ends;  // looked up by description only
  return ends;
}

bool IsIpc(const uv_stream_t* stream) {
  return stream->type == UV_NAMED_PIPE && reinterpret_cast<const uv_pipe_t*>(stream)->ipc != 0;
}

End* EndOf(const uv_stream_t* stream) {
  if (!IsIpc(stream)) return nullptr;
  auto it = Ends().find(K().vfs().Description(stream->io_watcher.fd));
  return it == Ends().end() ? nullptr : &it->second;
}

}  // namespace

void IpcRegisterPair(const FileDescription* a, const FileDescription* b) {
  Ends()[a].peer = b;
  Ends()[b].peer = a;
}

void IpcForget(const FileDescription* d) {
  auto it = Ends().find(d);
  if (it == Ends().end()) return;
  for (const Attachment& a : it->second.arriving) K().vfs().Close(a.fd);
  if (it->second.peer != nullptr) {
    auto peer = Ends().find(it->second.peer);
    if (peer != Ends().end()) peer->second.peer = nullptr;
  }
  Ends().erase(it);
}

int IpcAttach(uv_stream_t* stream, uv_stream_t* send_handle) {
  End* end = EndOf(stream);
  if (end == nullptr || end->peer == nullptr) return UV_EINVAL;
  const int fd = send_handle->io_watcher.fd;
  if (fd < 0) return UV_EBADF;
  const int copy = K().vfs().Dup(fd);
  if (copy < 0) return copy;
  const int64_t offset = end->written + static_cast<int64_t>(stream->write_queue_size);
  Ends()[end->peer].arriving.push_back({offset, copy});
  return 0;
}

void IpcWritten(const uv_stream_t* stream, int64_t n) {
  if (End* end = EndOf(stream)) end->written += n;
}

size_t IpcReadLimit(const uv_stream_t* stream, size_t len) {
  const End* end = EndOf(stream);
  if (end == nullptr) return len;
  for (const Attachment& a : end->arriving) {
    if (a.offset > end->read) return std::min(len, static_cast<size_t>(a.offset - end->read));
  }
  return len;
}

void IpcRead(uv_stream_t* stream, int64_t n) {
  End* end = EndOf(stream);
  if (end == nullptr || n <= 0) return;
  const int64_t from = end->read;
  end->read += n;
  auto& arriving = end->arriving;
  for (auto it = arriving.begin(); it != arriving.end();) {
    if (it->offset >= from && it->offset < end->read && stream->accepted_fd == -1) {
      stream->accepted_fd = it->fd;
      it = arriving.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace loopsim::uv
