// File change events (uv_fs_event_*), as libuv's Linux backend delivers them: one inotify descriptor per
// loop, opened by the first uv_fs_event_start and watched for POLLIN like any other descriptor, so change
// events reach the program in the poll phase, in the backend's order among the loop's other I/O. Handles
// that watch the same inode share one watch descriptor (and the path the first of them gave). When the
// descriptor is readable, every queued event is read and handed to each handle of its watch:
// IN_ATTRIB and IN_MODIFY are UV_CHANGE, anything else (IN_IGNORED included) UV_RENAME; the file name
// is the entry's for a watched directory, else the last component of the watched path.
//
// The events themselves come from the virtual file system (fakeos/vfs.h), which raises them as Linux's
// inotify does. Every backend delivers them this way: libuv's macOS (FSEvents/kqueue) and Windows
// (ReadDirectoryChangesW) watchers report different event sets, which loopsim does not model.
#include <poll.h>
#include <sys/inotify.h>

#include <algorithm>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

constexpr uint32_t kWatchMask =
    IN_ATTRIB | IN_CREATE | IN_MODIFY | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO;

uv_handle_t* AsHandle(uv_fs_event_t* h) { return reinterpret_cast<uv_handle_t*>(h); }

// The watch of `wd`, once no handle uses it and no delivery walks it, is removed from the kernel.
void MaybeRemoveWatch(LoopState& s, int wd) {
  auto it = s.inotify_watches.find(wd);
  if (it == s.inotify_watches.end() || it->second.iterating || !it->second.handles.empty()) return;
  s.inotify_watches.erase(it);
  K().vfs().InotifyRmWatch(s.inotify_fd, wd);
}

const char* Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path.c_str() : path.c_str() + slash + 1;
}

void Deliver(LoopState& s, const inotify_event& e, const char* name) {
  auto it = s.inotify_watches.find(e.wd);
  if (it == s.inotify_watches.end()) return;  // a stale event: nobody watches it any more
  InotifyWatch& watch = it->second;
  int events = 0;
  if (e.mask & (IN_ATTRIB | IN_MODIFY)) events |= UV_CHANGE;
  if (e.mask & ~(IN_ATTRIB | IN_MODIFY)) events |= UV_RENAME;
  const std::string path = e.len > 0 ? std::string(name) : std::string(Basename(watch.path));
  // Callbacks may stop handles (themselves or others) or start new ones: only handles that were
  // watching when the event was read, and still are, hear it.
  watch.iterating = true;
  const std::vector<uv_fs_event_t*> handles = watch.handles;
  for (uv_fs_event_t* h : handles) {
    if (std::find(watch.handles.begin(), watch.handles.end(), h) == watch.handles.end()) continue;
    RunCallback(
        AsHandle(h), [&] { h->cb(h, path.c_str(), events, 0); }, TraceFields().Int(trace::key::kEvents, events));
  }
  watch.iterating = false;
  MaybeRemoveWatch(s, e.wd);
}

// The loop's inotify descriptor is readable: read and deliver until it is empty.
void InotifyRead(uv_loop_t* loop, uv__io_t*, unsigned) {
  LoopState& s = State(loop);
  alignas(inotify_event) char buf[4096];
  for (;;) {
    const int64_t n = K().vfs().Read(s.inotify_fd, buf, sizeof(buf), -1);
    if (n == -EAGAIN) break;
    LS_CHECK_MSG(n > 0, "reading the inotify descriptor failed");
    for (int64_t at = 0; at < n;) {
      inotify_event e;
      std::memcpy(&e, buf + at, sizeof(e));
      Deliver(s, e, buf + at + sizeof(e));
      at += static_cast<int64_t>(sizeof(e) + e.len);
    }
  }
}

int InitInotify(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (s.inotify_fd >= 0) return 0;
  const int fd = K().vfs().InotifyInit();
  if (fd < 0) return fd;
  s.inotify_fd = fd;
  IoInit(&s.inotify_watcher, InotifyRead, fd);
  IoStart(loop, &s.inotify_watcher, POLLIN);
  return 0;
}

}  // namespace

void FsEventClose(uv_fs_event_t* handle) { uv_fs_event_stop(handle); }

void CloseInotify(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (s.inotify_fd < 0) return;
  IoClose(loop, &s.inotify_watcher);
  K().vfs().Close(s.inotify_fd);
  s.inotify_fd = -1;
  s.inotify_watches.clear();
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

// As libuv's (src/unix/linux-inotify.c): the path, callback and watch descriptor are set by
// uv_fs_event_start and read only while the handle is active.
int uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle) {
  HandleInit(loop, AsHandle(handle), UV_FS_EVENT);
  return 0;
}

int uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb, const char* path, unsigned int flags) {
  if (IsActive(AsHandle(handle))) return UV_EINVAL;
  uv_loop_t* loop = handle->loop;
  int r = InitInotify(loop);
  if (r < 0) return r;
  LoopState& s = State(loop);
  const int wd = K().vfs().InotifyAddWatch(s.inotify_fd, path, kWatchMask);
  if (wd < 0) return wd;
  auto [it, inserted] = s.inotify_watches.try_emplace(wd);
  InotifyWatch& watch = it->second;
  if (inserted) watch.path = path;
  watch.handles.push_back(handle);
  HandleStart(AsHandle(handle));
  handle->path = const_cast<char*>(watch.path.c_str());
  handle->cb = cb;
  handle->wd = wd;
  return 0;
}

int uv_fs_event_stop(uv_fs_event_t* handle) {
  if (!IsActive(AsHandle(handle))) return 0;
  LoopState& s = State(handle->loop);
  auto it = s.inotify_watches.find(handle->wd);
  LS_CHECK_MSG(it != s.inotify_watches.end(), "an active fs_event handle without its watch");
  std::erase(it->second.handles, handle);
  const int wd = handle->wd;
  handle->wd = -1;
  handle->path = nullptr;
  HandleStop(AsHandle(handle));
  MaybeRemoveWatch(s, wd);
  return 0;
}

int uv_fs_event_getpath(uv_fs_event_t* handle, char* buffer, size_t* size) {
  return GetWatchedPath(AsHandle(handle), IsActive(AsHandle(handle)) ? handle->path : "", buffer, size);
}

}  // extern "C"
