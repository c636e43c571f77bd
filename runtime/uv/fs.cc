// File system requests on the virtual file system. Without a callback a request runs at once and
// returns its result, as libuv's synchronous calls do; with one it goes to the thread-pool model and its
// callback runs in a later poll phase. The request's fields are filled as libuv fills them (result, ptr,
// path, statbuf), because Node reads them directly.
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

// A directory stream: what uv_fs_opendir hands back through uv_dir_t's private pointer.
struct DirStream {
  std::vector<VfsDirEntry> entries;
  size_t next = 0;
};

// What uv_fs_scandir keeps in req->ptr until uv_fs_req_cleanup.
struct ScanResult {
  std::vector<VfsDirEntry> entries;
};

const char* FsOpName(uv_fs_type t) {
  switch (t) {
    case UV_FS_OPEN: return "open";
    case UV_FS_CLOSE: return "close";
    case UV_FS_READ: return "read";
    case UV_FS_WRITE: return "write";
    case UV_FS_STAT: return "stat";
    case UV_FS_LSTAT: return "lstat";
    case UV_FS_FSTAT: return "fstat";
    case UV_FS_FTRUNCATE: return "ftruncate";
    case UV_FS_UTIME: return "utime";
    case UV_FS_FUTIME: return "futime";
    case UV_FS_LUTIME: return "lutime";
    case UV_FS_ACCESS: return "access";
    case UV_FS_CHMOD: return "chmod";
    case UV_FS_FCHMOD: return "fchmod";
    case UV_FS_FSYNC: return "fsync";
    case UV_FS_FDATASYNC: return "fdatasync";
    case UV_FS_UNLINK: return "unlink";
    case UV_FS_RMDIR: return "rmdir";
    case UV_FS_MKDIR: return "mkdir";
    case UV_FS_MKDTEMP: return "mkdtemp";
    case UV_FS_RENAME: return "rename";
    case UV_FS_SCANDIR: return "scandir";
    case UV_FS_LINK: return "link";
    case UV_FS_SYMLINK: return "symlink";
    case UV_FS_READLINK: return "readlink";
    case UV_FS_REALPATH: return "realpath";
    case UV_FS_CHOWN: return "chown";
    case UV_FS_FCHOWN: return "fchown";
    case UV_FS_LCHOWN: return "lchown";
    case UV_FS_COPYFILE: return "copyfile";
    case UV_FS_OPENDIR: return "opendir";
    case UV_FS_READDIR: return "readdir";
    case UV_FS_CLOSEDIR: return "closedir";
    case UV_FS_STATFS: return "statfs";
    case UV_FS_MKSTEMP: return "mkstemp";
    case UV_FS_SENDFILE: return "sendfile";
    default: return "fs";
  }
}

uv_timespec_t Timespec(Nanos t) { return {t.ns / 1000000000, t.ns % 1000000000}; }

// A file time given in seconds, as libuv hands it to utimensat and futimens (src/unix/fs.c,
// uv__fs_to_timespec): whole seconds and nanoseconds, both truncated toward zero, a negative fraction
// borrowing a second; up to 1.51 the nanoseconds are cut to whole microseconds. From 1.51 INFINITY
// means now and NAN leaves the time as it is (`current`); before, they make no valid time and the
// kernel refuses it, as it refuses a time beyond its range. 0 and *out, or UV_EINVAL.
int FileTime(double seconds, Nanos current, Nanos* out) {
  if (!std::isfinite(seconds)) {
    if (!Follows(Change::kUtimeInfinityIsNowNanIsOmit)) return UV_EINVAL;
    *out = std::isinf(seconds) ? K().clock().Wall() : current;
    return 0;
  }
  if (std::fabs(seconds) >= 9.2e9) return UV_EINVAL;
  int64_t sec = static_cast<int64_t>(seconds);
  int64_t nsec = static_cast<int64_t>((seconds - static_cast<double>(sec)) * 1e9);
  if (!Follows(Change::kUtimeKeepsNanoseconds)) nsec -= nsec % 1000;
  if (nsec < 0) {
    nsec += 1000000000;
    sec -= 1;
  }
  *out = Nanos{sec * 1000000000 + nsec};
  return 0;
}

// Both times of a utime request against the file's current ones.
int FileTimes(const uv_fs_t* r, const VfsStat& current, Nanos* atime, Nanos* mtime) {
  int err = FileTime(r->atime, current.atime, atime);
  if (err == 0) err = FileTime(r->mtime, current.mtime, mtime);
  return err;
}

void ToUvStat(const VfsStat& v, uv_stat_t* s) {
  *s = uv_stat_t{.st_dev = v.dev, .st_mode = v.mode, .st_nlink = v.nlink, .st_uid = v.uid, .st_gid = v.gid,
                 .st_rdev = v.rdev, .st_ino = v.ino, .st_size = static_cast<uint64_t>(v.size),
                 .st_blksize = static_cast<uint64_t>(v.blksize), .st_blocks = static_cast<uint64_t>(v.blocks),
                 .st_flags = 0, .st_gen = 0, .st_atim = Timespec(v.atime), .st_mtim = Timespec(v.mtime),
                 .st_ctim = Timespec(v.ctime), .st_birthtim = Timespec(v.birthtime)};
}

uv_dirent_type_t DirentType(VfsDirEntry::Type t) {
  switch (t) {
    case VfsDirEntry::Type::kFile: return UV_DIRENT_FILE;
    case VfsDirEntry::Type::kDir: return UV_DIRENT_DIR;
    case VfsDirEntry::Type::kSymlink: return UV_DIRENT_LINK;
    case VfsDirEntry::Type::kChar: return UV_DIRENT_CHAR;
    case VfsDirEntry::Type::kUnknown: break;
  }
  return UV_DIRENT_UNKNOWN;
}

void Init(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type, uv_fs_cb cb) {
  LS_CHECK_MSG(req != nullptr, "uv_fs_* without a request");
  req->type = UV_FS;
  req->fs_type = type;
  req->loop = loop;
  req->cb = cb;
  req->result = 0;
  req->ptr = nullptr;
  req->path = nullptr;
  req->new_path = nullptr;
  req->bufs = nullptr;
  req->nbufs = 0;
  SetReqId(reinterpret_cast<uv_req_t*>(req), runtime::Runtime::Get().NextId());
}

// Paths of an asynchronous request are copied (the caller's may not outlive the call), both into one
// allocation as libuv does; synchronous requests point at the caller's strings.
void SetPaths(uv_fs_t* req, const char* path, const char* new_path) {
  if (req->cb == nullptr) {
    req->path = path;
    req->new_path = new_path;
    return;
  }
  const size_t a = path ? std::strlen(path) + 1 : 0;
  const size_t b = new_path ? std::strlen(new_path) + 1 : 0;
  char* copy = static_cast<char*>(std::malloc(a + b + 1));
  if (path) std::memcpy(copy, path, a);
  if (new_path) std::memcpy(copy + a, new_path, b);
  req->path = path ? copy : nullptr;
  req->new_path = new_path ? copy + a : nullptr;
  if (!path) req->path = copy;  // keep the allocation reachable for cleanup
}

// A request on a path (and a second one for rename, link, symlink and copyfile).
void PathInit(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type, const char* path, uv_fs_cb cb,
              const char* new_path = nullptr) {
  Init(loop, req, type, cb);
  SetPaths(req, path, new_path);
}

// A request on an open file.
void FileInit(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type, uv_file file, uv_fs_cb cb) {
  Init(loop, req, type, cb);
  req->file = file;
}

void SetBufs(uv_fs_t* req, const uv_buf_t bufs[], unsigned int nbufs) {
  req->nbufs = nbufs;
  req->bufs = nbufs <= 4 ? req->bufsml : static_cast<uv_buf_t*>(std::malloc(sizeof(uv_buf_t) * nbufs));
  std::memcpy(req->bufs, bufs, sizeof(uv_buf_t) * nbufs);
}

Vfs& V() { return K().vfs(); }

// Disk faults, for asynchronous requests only: Node's own synchronous reads (module loading) must not
// fail at random, and a program's fs.*Sync calls fail only where the disk really would (full, missing).
// Returns true when a fault took the request's place (its result is set); a short read or write instead
// shortens the request and lets it run.
bool InjectDiskFault(uv_fs_t* req) {
  FaultSite site;
  switch (req->fs_type) {
    case UV_FS_OPEN: site = FaultSite::kDiskOpen; break;
    case UV_FS_READ: site = FaultSite::kDiskRead; break;
    case UV_FS_WRITE: site = FaultSite::kDiskWrite; break;
    case UV_FS_FSYNC:
    case UV_FS_FDATASYNC: site = FaultSite::kDiskFsync; break;
    default: return false;
  }
  const FaultKind kind = K().faults().Check(site);
  if (kind == FaultKind::kNone) return false;
  if (kind == FaultKind::kShortRead || kind == FaultKind::kShortWrite) {
    if (req->nbufs > 0 && req->bufs[0].len > 1) {
      req->nbufs = 1;
      req->bufs[0].len = static_cast<size_t>(K().faults().ShortLength(req->bufs[0].len));
    }
    return false;
  }
  const int err = FaultErrno(kind);
  if (err == 0) return false;
  req->result = err;
  return true;
}

// Moves the request's buffers one after another, as preadv/pwritev do: at the request's offset (or the
// file position when it is negative), stopping at the first error (reported only if nothing moved yet)
// and, for reads, at a short count (the end of the file).
template <typename Io>
int64_t Vectored(uv_fs_t* r, bool stop_when_short, Io io) {
  int64_t total = 0;
  for (unsigned i = 0; i < r->nbufs; ++i) {
    const int64_t at = r->off < 0 ? -1 : r->off + total;
    const int64_t n = io(r->file, r->bufs[i], at);
    if (n < 0) return total == 0 ? n : total;
    total += n;
    if (stop_when_short && static_cast<size_t>(n) < r->bufs[i].len) break;
  }
  return total;
}

// Runs the operation now (no callback) or hands it to the thread pool.
// Runs a request's work as the host that made it: the file system notes which host changed a file
// (vfs.h, Durability).
void RunAsHost(HostId host, uv_fs_t* req, const std::function<void(uv_fs_t*)>& op) {
  V().set_caller_host(host);
  op(req);
  V().set_caller_host(Network::kLocalHost);
}

int Dispatch(uv_loop_t* loop, uv_fs_t* req, std::function<void(uv_fs_t*)> op) {
  const HostId host = CurrentHost();
  if (req->cb == nullptr) {
    // A write to a sink is the program talking to the simulator; the sink traces it itself.
    const bool to_sink = req->fs_type == UV_FS_WRITE && V().IsSink(req->file);
    if (!to_sink) {
      TraceReq(loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSync, trace::kind::kFs, FsOpName(req->fs_type));
    }
    RunAsHost(host, req, op);
    return static_cast<int>(req->result);
  }
  TraceReq(loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kFs, FsOpName(req->fs_type));
  SubmitWork(
      loop, reinterpret_cast<uv_req_t*>(req), [req, op, host] {
        if (!InjectDiskFault(req)) RunAsHost(host, req, op);
      },
      [req](int status) {
        if (status == UV_ECANCELED) req->result = UV_ECANCELED;
        req->cb(req);
      });
  return 0;
}

// The file a stat-like request is about, as its type says: its path, its path without following a last
// symbolic link (the l- calls), or its open file (the f- calls).
int StatTarget(const uv_fs_t* r, VfsStat* st) {
  switch (r->fs_type) {
    case UV_FS_LSTAT:
    case UV_FS_LUTIME:
    case UV_FS_LCHOWN: return V().Lstat(r->path, st);
    case UV_FS_FSTAT:
    case UV_FS_FUTIME:
    case UV_FS_FCHOWN: return V().Fstat(r->file, st);
    default: return V().Stat(r->path, st);
  }
}

// The work of the stat, lstat and fstat requests.
void StatWork(uv_fs_t* r) {
  VfsStat st;
  r->result = StatTarget(r, &st);
  if (r->result != 0) return;
  ToUvStat(st, &r->statbuf);
  r->ptr = &r->statbuf;
}

// The program runs as an ordinary user: it may "change" ownership only to itself (-1 = unchanged).
int ChownResult(uv_uid_t uid, uv_gid_t gid) {
  const auto& host = K().host();
  const bool uid_ok = uid == static_cast<uv_uid_t>(-1) || uid == static_cast<uv_uid_t>(host.uid);
  const bool gid_ok = gid == static_cast<uv_gid_t>(-1) || gid == static_cast<uv_gid_t>(host.gid);
  return uid_ok && gid_ok ? 0 : UV_EPERM;
}

// The chown, lchown and fchown requests: the file must exist; the ownership is the program's own.
int DispatchChown(uv_loop_t* loop, uv_fs_t* req, uv_uid_t uid, uv_gid_t gid) {
  req->uid = uid;
  req->gid = gid;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    VfsStat st;
    r->result = StatTarget(r, &st);
    if (r->result == 0) r->result = ChownResult(r->uid, r->gid);
  });
}

// The utime, lutime and futime requests.
int DispatchUtime(uv_loop_t* loop, uv_fs_t* req, double atime, double mtime) {
  req->atime = atime;
  req->mtime = mtime;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    VfsStat st;
    Nanos a, m;
    r->result = StatTarget(r, &st);
    if (r->result == 0) r->result = FileTimes(r, st, &a, &m);
    if (r->result != 0) return;
    r->result = r->fs_type == UV_FS_FUTIME ? V().Futime(r->file, a, m)
                                            : V().Utime(r->path, a, m, r->fs_type == UV_FS_UTIME);
  });
}

// The mkdtemp and mkstemp requests, as libuv's: the template is copied into req->path and the copy
// becomes the name made from it; mkstemp's copy is emptied on failure.
int DispatchFromTemplate(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type, const char* tpl, uv_fs_cb cb) {
  Init(loop, req, type, cb);
  req->path = strdup(tpl);
  return Dispatch(loop, req, [](uv_fs_t* r) {
    std::string path = r->path;
    const bool directory = r->fs_type == UV_FS_MKDTEMP;
    r->result = directory ? V().Mkdtemp(&path) : V().Mkstemp(&path);
    char* name = const_cast<char*>(r->path);
    if (r->result >= 0) {
      std::memcpy(name, path.data(), path.size());
    } else if (!directory) {
      name[0] = '\0';
    }
  });
}

// The readlink and realpath requests: the link's target or the resolved path, in req->ptr (freed by
// uv_fs_req_cleanup).
int DispatchPathLookup(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, type, path, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) {
    std::string found;
    r->result = r->fs_type == UV_FS_READLINK ? V().Readlink(r->path, &found) : V().Realpath(r->path, &found);
    if (r->result == 0) r->ptr = strdup(found.c_str());
  });
}

// The scandir and opendir requests' reading of the directory: a new listing (a ScanResult or a
// DirStream) of its entries, or nullptr with the error in the request's result.
template <typename Listing>
Listing* ReadDirectory(uv_fs_t* r) {
  auto listing = std::make_unique<Listing>();
  r->result = V().Scandir(r->path, &listing->entries);
  return r->result < 0 ? nullptr : listing.release();
}

// The read and write requests: the buffers one after another, from `offset` (-1: the file position).
int DispatchVectored(uv_loop_t* loop, uv_fs_t* req, const uv_buf_t bufs[], unsigned int nbufs, int64_t offset) {
  if (bufs == nullptr || nbufs == 0) return UV_EINVAL;
  req->off = offset;
  SetBufs(req, bufs, nbufs);
  return Dispatch(loop, req, [](uv_fs_t* r) {
    if (r->fs_type == UV_FS_READ) {
      r->result = Vectored(r, true, [](int fd, uv_buf_t& b, int64_t at) { return V().Read(fd, b.base, b.len, at); });
    } else {
      r->result = Vectored(r, false, [](int fd, uv_buf_t& b, int64_t at) { return V().Write(fd, b.base, b.len, at); });
    }
  });
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;
using loopsim::Nanos;
using loopsim::VfsStat;
using loopsim::VfsDirEntry;

extern "C" {

void uv_fs_req_cleanup(uv_fs_t* req) {
  if (req == nullptr) return;
  if (req->path != nullptr && (req->cb != nullptr || req->fs_type == UV_FS_MKDTEMP || req->fs_type == UV_FS_MKSTEMP)) {
    std::free(const_cast<char*>(req->path));
  }
  req->path = nullptr;
  req->new_path = nullptr;
  if (req->fs_type == UV_FS_READDIR && req->ptr != nullptr) {
    auto* dir = static_cast<uv_dir_t*>(req->ptr);
    for (size_t i = 0; i < dir->nentries && dir->dirents != nullptr; ++i) {
      std::free(const_cast<char*>(dir->dirents[i].name));
      dir->dirents[i].name = nullptr;
    }
    req->ptr = nullptr;
  }
  if (req->fs_type == UV_FS_SCANDIR && req->ptr != nullptr) {
    delete static_cast<ScanResult*>(req->ptr);
    req->ptr = nullptr;
  }
  if (req->bufs != req->bufsml) std::free(req->bufs);
  req->bufs = nullptr;
  if (req->fs_type != UV_FS_OPENDIR && req->ptr != &req->statbuf) std::free(req->ptr);
  req->ptr = nullptr;
}

int uv_fs_open(uv_loop_t* loop, uv_fs_t* req, const char* path, int flags, int mode, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_OPEN, path, cb);
  req->flags = flags;
  req->mode = static_cast<mode_t>(mode);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Open(r->path, r->flags, r->mode); });
}

int uv_fs_close(uv_loop_t* loop, uv_fs_t* req, uv_file file, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_CLOSE, file, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Close(r->file); });
}

int uv_fs_read(uv_loop_t* loop, uv_fs_t* req, uv_file file, const uv_buf_t bufs[], unsigned int nbufs,
               int64_t offset, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_READ, file, cb);
  return DispatchVectored(loop, req, bufs, nbufs, offset);
}

int uv_fs_write(uv_loop_t* loop, uv_fs_t* req, uv_file file, const uv_buf_t bufs[], unsigned int nbufs,
                int64_t offset, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_WRITE, file, cb);
  return DispatchVectored(loop, req, bufs, nbufs, offset);
}

int uv_fs_stat(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_STAT, path, cb);
  return Dispatch(loop, req, StatWork);
}

int uv_fs_lstat(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_LSTAT, path, cb);
  return Dispatch(loop, req, StatWork);
}

int uv_fs_fstat(uv_loop_t* loop, uv_fs_t* req, uv_file file, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_FSTAT, file, cb);
  return Dispatch(loop, req, StatWork);
}

int uv_fs_statfs(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_STATFS, path, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) {
    VfsStat st;
    r->result = V().Stat(r->path, &st);
    if (r->result < 0) return;
    auto* s = static_cast<uv_statfs_t*>(std::calloc(1, sizeof(uv_statfs_t)));
    s->f_type = 0x01021994;  // tmpfs: the virtual disk lives in memory
    s->f_bsize = 4096;
    s->f_blocks = 1 << 20;
    s->f_bfree = s->f_bavail = 1 << 19;
    s->f_files = 1 << 16;
    s->f_ffree = 1 << 15;
    // 1.52's f_frsize is 1.44's f_spare[0].
    if (Follows(Change::kStatfsReportsFrsize)) s->f_spare[0] = s->f_bsize;
    r->ptr = s;
  });
}

int uv_fs_ftruncate(uv_loop_t* loop, uv_fs_t* req, uv_file file, int64_t offset, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_FTRUNCATE, file, cb);
  req->off = offset;
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Ftruncate(r->file, r->off); });
}

int uv_fs_fsync(uv_loop_t* loop, uv_fs_t* req, uv_file file, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_FSYNC, file, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Fsync(r->file); });
}

int uv_fs_fdatasync(uv_loop_t* loop, uv_fs_t* req, uv_file file, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_FDATASYNC, file, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Fsync(r->file); });
}

// The utime and chown families come in three forms each, which differ only in their names and the
// target they are given: a path (links followed), a link itself, an open file.
#define LOOPSIM_FS_PATH_LINK_AND_FILE(name, NAME, A, a, B, b, dispatch)                        \
  int uv_fs_##name(uv_loop_t* loop, uv_fs_t* req, const char* path, A a, B b, uv_fs_cb cb) {   \
    PathInit(loop, req, UV_FS_##NAME, path, cb);                                               \
    return dispatch(loop, req, a, b);                                                          \
  }                                                                                            \
  int uv_fs_l##name(uv_loop_t* loop, uv_fs_t* req, const char* path, A a, B b, uv_fs_cb cb) {  \
    PathInit(loop, req, UV_FS_L##NAME, path, cb);                                              \
    return dispatch(loop, req, a, b);                                                          \
  }                                                                                            \
  int uv_fs_f##name(uv_loop_t* loop, uv_fs_t* req, uv_file file, A a, B b, uv_fs_cb cb) {      \
    FileInit(loop, req, UV_FS_F##NAME, file, cb);                                              \
    return dispatch(loop, req, a, b);                                                          \
  }

LOOPSIM_FS_PATH_LINK_AND_FILE(utime, UTIME, double, atime, double, mtime, DispatchUtime)
LOOPSIM_FS_PATH_LINK_AND_FILE(chown, CHOWN, uv_uid_t, uid, uv_gid_t, gid, DispatchChown)

#undef LOOPSIM_FS_PATH_LINK_AND_FILE

int uv_fs_access(uv_loop_t* loop, uv_fs_t* req, const char* path, int mode, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_ACCESS, path, cb);
  req->flags = mode;
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Access(r->path, r->flags); });
}

int uv_fs_chmod(uv_loop_t* loop, uv_fs_t* req, const char* path, int mode, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_CHMOD, path, cb);
  req->mode = static_cast<mode_t>(mode);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Chmod(r->path, r->mode); });
}

int uv_fs_fchmod(uv_loop_t* loop, uv_fs_t* req, uv_file file, int mode, uv_fs_cb cb) {
  FileInit(loop, req, UV_FS_FCHMOD, file, cb);
  req->mode = static_cast<mode_t>(mode);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Fchmod(r->file, r->mode); });
}

int uv_fs_unlink(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_UNLINK, path, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Unlink(r->path); });
}

int uv_fs_rmdir(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_RMDIR, path, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Rmdir(r->path); });
}

int uv_fs_mkdir(uv_loop_t* loop, uv_fs_t* req, const char* path, int mode, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_MKDIR, path, cb);
  req->mode = static_cast<mode_t>(mode);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Mkdir(r->path, r->mode); });
}

int uv_fs_mkdtemp(uv_loop_t* loop, uv_fs_t* req, const char* tpl, uv_fs_cb cb) {
  return DispatchFromTemplate(loop, req, UV_FS_MKDTEMP, tpl, cb);
}

int uv_fs_mkstemp(uv_loop_t* loop, uv_fs_t* req, const char* tpl, uv_fs_cb cb) {
  return DispatchFromTemplate(loop, req, UV_FS_MKSTEMP, tpl, cb);
}

// Linux's sendfile: up to `len` bytes of in_fd from in_offset (its own position untouched) to out_fd
// at its position; the bytes moved, or the error if none moved.
int uv_fs_sendfile(uv_loop_t* loop, uv_fs_t* req, uv_file out_fd, uv_file in_fd, int64_t in_offset, size_t len,
                   uv_fs_cb cb) {
  Init(loop, req, UV_FS_SENDFILE, cb);
  req->flags = in_fd;
  req->file = out_fd;
  req->off = in_offset;
  req->bufsml[0].len = len;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    std::vector<char> chunk(64 * 1024);
    int64_t moved = 0;
    while (static_cast<size_t>(moved) < r->bufsml[0].len) {
      const size_t want = std::min(chunk.size(), r->bufsml[0].len - static_cast<size_t>(moved));
      const int64_t n = V().Read(r->flags, chunk.data(), want, r->off + moved);
      if (n <= 0) {
        if (n < 0 && moved == 0) moved = n;
        break;
      }
      const int64_t w = V().Write(r->file, chunk.data(), static_cast<size_t>(n), -1);
      if (w < 0) {
        if (moved == 0) moved = w;
        break;
      }
      moved += w;
      if (w < n) break;
    }
    r->result = moved;
  });
}

int uv_fs_rename(uv_loop_t* loop, uv_fs_t* req, const char* path, const char* new_path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_RENAME, path, cb, new_path);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Rename(r->path, r->new_path); });
}

int uv_fs_link(uv_loop_t* loop, uv_fs_t* req, const char* path, const char* new_path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_LINK, path, cb, new_path);
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Link(r->path, r->new_path); });
}

int uv_fs_symlink(uv_loop_t* loop, uv_fs_t* req, const char* path, const char* new_path, int flags,
                  uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_SYMLINK, path, cb, new_path);
  req->flags = flags;
  return Dispatch(loop, req, [](uv_fs_t* r) { r->result = V().Symlink(r->path, r->new_path); });
}

int uv_fs_readlink(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  return DispatchPathLookup(loop, req, UV_FS_READLINK, path, cb);
}

int uv_fs_realpath(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  return DispatchPathLookup(loop, req, UV_FS_REALPATH, path, cb);
}

int uv_fs_copyfile(uv_loop_t* loop, uv_fs_t* req, const char* path, const char* new_path, int flags,
                   uv_fs_cb cb) {
  Init(loop, req, UV_FS_COPYFILE, cb);
  if (flags & ~(UV_FS_COPYFILE_EXCL | UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE)) return UV_EINVAL;
  SetPaths(req, path, new_path);
  req->flags = flags;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    r->result =
        V().CopyFile(r->path, r->new_path, (r->flags & UV_FS_COPYFILE_EXCL) != 0, Follows(Change::kCopyfileKeepsTimes));
  });
}

int uv_fs_scandir(uv_loop_t* loop, uv_fs_t* req, const char* path, int flags, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_SCANDIR, path, cb);
  req->flags = flags;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    ScanResult* scan = ReadDirectory<ScanResult>(r);
    if (scan == nullptr) return;
    r->result = static_cast<ssize_t>(scan->entries.size());
    r->nbufs = 0;
    r->ptr = scan;
  });
}

int uv_fs_scandir_next(uv_fs_t* req, uv_dirent_t* ent) {
  if (req->result < 0) return static_cast<int>(req->result);
  auto* scan = static_cast<ScanResult*>(req->ptr);
  if (scan == nullptr || req->nbufs >= scan->entries.size()) return UV_EOF;
  const VfsDirEntry& e = scan->entries[req->nbufs++];
  ent->name = e.name.c_str();
  ent->type = DirentType(e.type);
  return 0;
}

int uv_fs_opendir(uv_loop_t* loop, uv_fs_t* req, const char* path, uv_fs_cb cb) {
  PathInit(loop, req, UV_FS_OPENDIR, path, cb);
  return Dispatch(loop, req, [](uv_fs_t* r) {
    DirStream* stream = ReadDirectory<DirStream>(r);
    if (stream == nullptr) return;
    auto* dir = static_cast<uv_dir_t*>(std::calloc(1, sizeof(uv_dir_t)));
    dir->dir = reinterpret_cast<DIR*>(stream);
    r->ptr = dir;
  });
}

int uv_fs_readdir(uv_loop_t* loop, uv_fs_t* req, uv_dir_t* dir, uv_fs_cb cb) {
  Init(loop, req, UV_FS_READDIR, cb);
  if (dir == nullptr || dir->dir == nullptr || dir->dirents == nullptr) return UV_EINVAL;
  req->ptr = dir;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    auto* d = static_cast<uv_dir_t*>(r->ptr);
    auto* stream = reinterpret_cast<DirStream*>(d->dir);
    size_t n = 0;
    while (n < d->nentries && stream->next < stream->entries.size()) {
      const VfsDirEntry& e = stream->entries[stream->next++];
      d->dirents[n].name = strdup(e.name.c_str());
      d->dirents[n].type = DirentType(e.type);
      ++n;
    }
    r->result = static_cast<ssize_t>(n);
  });
}

int uv_fs_closedir(uv_loop_t* loop, uv_fs_t* req, uv_dir_t* dir, uv_fs_cb cb) {
  Init(loop, req, UV_FS_CLOSEDIR, cb);
  if (dir == nullptr) return UV_EINVAL;
  req->ptr = dir;
  return Dispatch(loop, req, [](uv_fs_t* r) {
    auto* d = static_cast<uv_dir_t*>(r->ptr);
    delete reinterpret_cast<DirStream*>(d->dir);
    std::free(d);
    r->ptr = nullptr;
    r->result = 0;
  });
}

uv_fs_type uv_fs_get_type(const uv_fs_t* req) { return req->fs_type; }
ssize_t uv_fs_get_result(const uv_fs_t* req) { return req->result; }
// As unix libuv's: the result negated (the errno of a failed request).
int uv_fs_get_system_error(const uv_fs_t* req) { return static_cast<int>(-req->result); }
void* uv_fs_get_ptr(const uv_fs_t* req) { return req->ptr; }
const char* uv_fs_get_path(const uv_fs_t* req) { return req->path; }
uv_stat_t* uv_fs_get_statbuf(uv_fs_t* req) { return &req->statbuf; }

}  // extern "C"
