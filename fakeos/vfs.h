// The virtual file system: an in-memory tree in which chosen host paths appear read-only (the program's
// own directory, the node_modules and package.json files module resolution looks for, libnode's
// builtins). Host content is read lazily the first time a directory is listed or a file is opened, and
// only ever read: every write, rename or delete happens in memory, so a simulated program can never
// change the host. Everything the program can observe (inode numbers, times, owners, readdir order) is
// decided here, deterministically, never copied from the host.
//
// Change notification is Linux's inotify(7) (kernel 6.1 semantics): a watch is on an inode, not a path;
// changes queue events on the inotify descriptor in the order the kernel's fsnotify hooks raise them
// (a directory watching its children first, then the inode itself), and an event equal to the last
// unread one is merged into it. The queue has no limit (no IN_Q_OVERFLOW).
//
// Durability, for machines that crash (several hosts share this one tree: `loopsim --host`): metadata
// (creating, renaming, removing) is durable at once, as a journalled file system's is, and a file's
// bytes are durable once fsync'd. A file written from a host that can crash (any but host 0, the
// program's own) keeps the bytes it had before that host's first unsynced change; Crash(host) puts them
// back, so a file created and written without an fsync is empty after a crash (the zero-length file of
// ext4's delayed allocation). A file written unsynced from two crashing hosts goes back as a whole.
//
// Errors are negative errno values, as the kernel returns them. Fault model: none in the file system
// itself. The disk's fault sites (faults.h) are checked by the loop's asynchronous fs requests before
// they reach it (runtime/uv/fs.cc), so that Node's synchronous module loading never meets a fault.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fakeos/base/time.h"
#include "fakeos/file_description.h"

namespace loopsim {

struct VfsStat {
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint32_t mode = 0;  // type bits | permission bits, as st_mode
  uint64_t nlink = 1;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t rdev = 0;
  int64_t size = 0;
  int64_t blksize = 4096;
  int64_t blocks = 0;
  Nanos atime, mtime, ctime, birthtime;
};

struct VfsDirEntry {
  std::string name;
  enum class Type { kFile, kDir, kSymlink, kChar, kUnknown } type;
};

// What fds 1 and 2 are connected to. Fd 0 is a character device that reads nothing (as /dev/null),
// unless SetStdin gives it bytes.
struct StdioSink {
  // Writes go to these host descriptors, unchanged (the program's stdout/stderr).
  int host_stdout = 1;
  int host_stderr = 2;
};

class Vfs {
 public:
  struct Options {
    uint32_t uid = 1000;
    uint32_t gid = 1000;
    StdioSink stdio;
  };
  Vfs(Options options, std::function<Nanos()> wall_now);
  ~Vfs();
  Vfs(const Vfs&) = delete;
  Vfs& operator=(const Vfs&) = delete;

  // Makes host_path (file or directory) visible read-only at the absolute virtual path. Parent
  // directories are created in memory as needed. Returns 0 or -ENOENT if host_path does not exist.
  int MountHost(const std::string& virtual_path, const std::string& host_path);

  // Creates a character device at path (parents are created as needed) whose writes go to on_write
  // instead of being stored: how a simulated program can hand lines to the simulator (e.g. the trace).
  int MakeSink(const std::string& path, std::function<void(std::string_view)> on_write);

  // Gives a kernel object that is not a file (a socket, a pipe end) the lowest free descriptor; it lives
  // as long as some descriptor refers to it. Description() is that object, or null for any other fd.
  int AddDescription(std::shared_ptr<FileDescription> description);

  // Fd 0 becomes a read-only regular file of `bytes` that no directory names, as a shell's `< FILE`
  // makes it: the program reads the same bytes however it reads fd 0 (a stream, readFileSync(0), a
  // positioned read). Only while fd 0 is still the one the file system began with.
  void SetStdin(std::string bytes);
  FileDescription* Description(int fd) const;
  // dup(): the lowest free descriptor, on what `fd` is open on (-EBADF when it is not open). The object
  // behind them lives until both are closed.
  int Dup(int fd);
  // Which opening `fd` is (each open, dup or new descriptor is a new one, never numbered again), to
  // tell later whether the descriptor is still that one: 0 when it is not open. A descriptor number
  // is reused, and so may an object's address be once it is gone.
  uint64_t Opening(int fd) const;

  int Chdir(const std::string& path);
  const std::string& cwd() const { return cwd_; }
  // Absolute, lexically normalised form of path (relative paths are taken from the cwd).
  std::string Absolute(const std::string& path) const;

  int Open(const std::string& path, int flags, uint32_t mode);
  int Close(int fd);
  // offset < 0 reads/writes at (and advances) the file position.
  int64_t Read(int fd, void* buf, size_t len, int64_t offset);
  int64_t Write(int fd, const void* buf, size_t len, int64_t offset);
  int Fstat(int fd, VfsStat* st);
  int Ftruncate(int fd, int64_t length);
  // fsync and fdatasync: the file's bytes are durable.
  int Fsync(int fd);
  int Futime(int fd, Nanos atime, Nanos mtime);
  int Fchmod(int fd, uint32_t mode);

  int Stat(const std::string& path, VfsStat* st);
  int Lstat(const std::string& path, VfsStat* st);
  int Access(const std::string& path, int mode);
  int Mkdir(const std::string& path, uint32_t mode);
  int Mkdtemp(std::string* path_template);  // replaces the trailing XXXXXX
  // Creates and opens (read-write, 0600) a new file from a template ending in XXXXXX, which it
  // replaces: the descriptor, or a negative errno.
  int Mkstemp(std::string* path_template);
  int Rmdir(const std::string& path);
  int Unlink(const std::string& path);
  int Rename(const std::string& from, const std::string& to);
  int Link(const std::string& existing, const std::string& new_path);
  int Symlink(const std::string& target, const std::string& link_path);
  int Readlink(const std::string& path, std::string* target);
  int Realpath(const std::string& path, std::string* resolved);
  int Scandir(const std::string& path, std::vector<VfsDirEntry>* entries);
  int Chmod(const std::string& path, uint32_t mode);
  int Utime(const std::string& path, Nanos atime, Nanos mtime, bool follow);
  // `keep_times` gives the copy the source's access and modification times before its bytes are
  // written (libuv >= 1.49 does so), so a copy with any bytes still gets a new modification time.
  int CopyFile(const std::string& from, const std::string& to, bool exclusive, bool keep_times = false);

  // inotify(7). InotifyInit opens an inotify descriptor (readable while events are queued; read() gives
  // struct inotify_event records). InotifyAddWatch watches the inode `path` names (following symlinks)
  // for the IN_* events of `mask`, replacing the mask of an earlier watch of the same inode, and returns
  // its watch descriptor. InotifyRmWatch removes a watch (an IN_IGNORED event says so).
  int InotifyInit();
  int InotifyAddWatch(int fd, const std::string& path, uint32_t mask);
  int InotifyRmWatch(int fd, int wd);

  // The host whose process makes the calls that follow (0 until said again): files it opens remember
  // it, and their writes are lost if it crashes before an fsync.
  void set_caller_host(uint32_t host) { caller_host_ = host; }
  // Host `host` (not 0) crashed: every file it changed since its last fsync goes back to its durable
  // bytes.
  void Crash(uint32_t host);

  // True if fd is open; true if it is open on a sink.
  bool IsOpen(int fd) const;
  bool IsSink(int fd) const;
  // Hears every write to the program's stderr, after it reached the host (the Node host notes which
  // part of the program wrote the last error line).
  void ObserveStderr(std::function<void(std::string_view text)> observer) { stderr_observer_ = std::move(observer); }

 private:
  struct Inode;
  struct OpenFile;
  class Inotify;
  using InodePtr = std::shared_ptr<Inode>;

  InodePtr NewInode(int kind, uint32_t perm);
  void LoadHostDir(Inode& dir);
  void LoadHostFile(Inode& file);
  void LoadHostMeta(Inode& node);
  // Resolves path. follow_last: follow a symlink in the last component. On success *node is the inode,
  // and (if asked) *parent / *name the directory holding it and its name there.
  int Resolve(const std::string& path, bool follow_last, InodePtr* node, InodePtr* parent = nullptr,
              std::string* name = nullptr, std::string* resolved = nullptr);
  // Resolves the parent directory of path, for calls that create or remove its last component.
  int ResolveParent(const std::string& path, InodePtr* parent, std::string* name);
  // A new inode of `kind` at `path`, placed in its directory (*dir, under *name): the directory must
  // exist and the name be free (-EEXIST, a dangling symlink's too). The caller tells the watchers.
  int CreateAt(const std::string& path, int kind, uint32_t perm, InodePtr* dir, std::string* name, InodePtr* node);
  Inode* Child(Inode& dir, const std::string& name);
  void Touch(Inode& node, bool data_changed);
  // Replaces a template's trailing XXXXXX with the next temporary name.
  void NextTempName(std::string* path_template);
  // Names `node` as entry `name` of `dir` (where events about it go to watchers of its directory).
  static void Place(const InodePtr& node, const InodePtr& dir, const std::string& name);
  // fsnotify: an event about `node` itself (IN_MODIFY, IN_ATTRIB), also reported to a watcher of its
  // directory when `to_parent`; an event about entry `name` of `dir` (IN_CREATE, IN_DELETE, IN_MOVED_*).
  void Notify(Inode& node, uint32_t mask, bool to_parent);
  void NotifyEntry(Inode& dir, uint32_t mask, const std::string& name, uint32_t cookie = 0);
  // An inode lost its last link (or a directory was removed): once no descriptor holds it either, its
  // watchers hear IN_DELETE_SELF and lose their watches (IN_IGNORED).
  void DeleteSelfIfGone(Inode& node);
  int Opened(int fd, OpenFile file);
  // `host` is about to change a file's bytes: the first unsynced change of a crashing host keeps what
  // was durable.
  void WillChange(Inode& node, uint32_t host);
  void FillStat(Inode& node, VfsStat* st);
  // Stat (`follow`: a final symlink is followed) and Lstat.
  int StatPath(const std::string& path, bool follow, VfsStat* st);
  int AllocFd();
  OpenFile* Lookup(int fd);

  Options options_;
  std::function<Nanos()> wall_now_;
  InodePtr root_;
  std::string cwd_ = "/";
  std::map<int, OpenFile> fds_;
  uint64_t next_ino_ = 2;
  uint64_t openings_ = 0;
  uint64_t temp_counter_ = 0;
  uint32_t move_cookie_ = 0;
  std::function<void(std::string_view)> stderr_observer_;
  uint32_t caller_host_ = 0;
  std::map<uint64_t, std::weak_ptr<Inode>> unsynced_;  // by inode number: files with unsynced changes
};

}  // namespace loopsim
