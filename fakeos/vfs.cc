// See vfs.h.
#include "fakeos/vfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "fakeos/base/check.h"
#include "fakeos/base/prng.h"

namespace loopsim {

namespace {

constexpr int kMaxSymlinks = 40;
constexpr uint32_t kUmask = 022;

enum Kind { kFile, kDir, kSymlink, kStdio, kSink, kObject };

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) out += "/" + parts[i];
  return out.empty() ? "/" : out;
}

// Lexical normalisation of an absolute path: removes ".", empty components and resolves "..".
std::string Normalize(const std::string& absolute) {
  std::vector<std::string> out;
  for (const std::string& part : Split(absolute)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(part);
  }
  return Join(out, 0, out.size());
}

}  // namespace

struct Vfs::Inode : std::enable_shared_from_this<Vfs::Inode> {
  int kind = kFile;
  uint64_t ino = 0;
  uint32_t perm = 0644;
  uint64_t nlink = 1;
  Nanos atime, mtime, ctime, birthtime;
  std::string data;  // a file's bytes, or a symlink's target
  // Unsynced changes (vfs.h, Durability): the crashing hosts that made them, as bits, and the bytes the
  // file goes back to if one of them crashes.
  uint64_t unsynced_hosts = 0;
  std::string durable;
  std::map<std::string, InodePtr> children;
  // Host backing, read lazily: a directory's listing, a file's bytes, a node's metadata.
  std::string host_path;
  bool host_children_pending = false;
  bool host_data_pending = false;
  bool host_meta_pending = false;
  int64_t host_size = 0;
  int host_fd = -1;  // kStdio only
  std::function<void(std::string_view)> sink;  // kSink only
  std::shared_ptr<FileDescription> object;      // kObject only
  // The directory entry events about this inode are also reported under: its latest link (none once
  // that is gone). Weak, as children are owned by their directory.
  std::weak_ptr<Inode> parent;
  std::string name;
  int open_count = 0;  // descriptors open on it: an unlinked inode lives on while some are
  struct Watch {
    Inotify* owner;
    int wd;
    uint32_t mask;
  };
  std::vector<Watch> watches;
};

struct Vfs::OpenFile {
  InodePtr inode;
  int flags = 0;
  int64_t pos = 0;
  uint32_t host = 0;     // the host whose process opened it
  uint64_t opening = 0;  // Opening(): given when the descriptor is made
};

// An inotify instance: the watches it holds (each keeps its inode alive, as a kernel mark pins an
// inode) and its queue of unread events.
class Vfs::Inotify final : public FileDescription {
 public:
  ~Inotify() override {
    for (auto& [wd, node] : watched_) {
      std::erase_if(node->watches, [this](const Inode::Watch& w) { return w.owner == this; });
    }
  }

  int AddWatch(const InodePtr& node, uint32_t mask) {
    for (Inode::Watch& w : node->watches) {
      if (w.owner == this) {
        w.mask = mask;
        return w.wd;
      }
    }
    const int wd = next_wd_++;
    node->watches.push_back({this, wd, mask});
    watched_[wd] = node;
    return wd;
  }

  int RmWatch(int wd) {
    auto it = watched_.find(wd);
    if (it == watched_.end()) return -EINVAL;
    InodePtr node = std::move(it->second);
    watched_.erase(it);
    std::erase_if(node->watches, [this](const Inode::Watch& w) { return w.owner == this; });
    Push(wd, IN_IGNORED, 0, "");
    return 0;
  }

  // The inode dropped watch `wd` (it was deleted).
  void Forget(int wd) { watched_.erase(wd); }

  void Push(int wd, uint32_t mask, uint32_t cookie, const std::string& name) {
    Event e{wd, mask, cookie, name};
    if (!queue_.empty() && queue_.back() == e) return;  // merged into the last unread event
    queue_.push_back(std::move(e));
    Wake(kPollIn);
  }

  uint32_t Poll() const override { return queue_.empty() ? 0 : kPollIn; }
  int64_t ReadableCount() const override {
    int64_t n = 0;
    for (const Event& e : queue_) n += static_cast<int64_t>(e.size());
    return n;
  }
  int64_t WritableCount() const override { return 0; }
  int64_t Write(const void*, size_t) override { return -EINVAL; }

  // Whole records only; a buffer too small for the first is EINVAL, as in Linux.
  int64_t Read(void* buf, size_t len) override {
    if (queue_.empty()) return -EAGAIN;
    if (queue_.front().size() > len) return -EINVAL;
    char* out = static_cast<char*>(buf);
    size_t used = 0;
    while (!queue_.empty() && used + queue_.front().size() <= len) {
      const Event& e = queue_.front();
      inotify_event header{};
      header.wd = e.wd;
      header.mask = e.mask;
      header.cookie = e.cookie;
      header.len = static_cast<uint32_t>(e.padded_name());
      std::memcpy(out + used, &header, sizeof(header));
      std::memset(out + used + sizeof(header), 0, header.len);
      std::memcpy(out + used + sizeof(header), e.name.data(), e.name.size());
      used += e.size();
      queue_.pop_front();
    }
    return static_cast<int64_t>(used);
  }

 private:
  struct Event {
    int wd;
    uint32_t mask;
    uint32_t cookie;
    std::string name;
    bool operator==(const Event&) const = default;
    // The name with its terminating NUL, padded to a multiple of the header's size, as Linux sends it.
    size_t padded_name() const {
      if (name.empty()) return 0;
      const size_t unit = sizeof(inotify_event);
      return (name.size() + 1 + unit - 1) / unit * unit;
    }
    size_t size() const { return sizeof(inotify_event) + padded_name(); }
  };

  int next_wd_ = 1;
  std::map<int, InodePtr> watched_;
  std::deque<Event> queue_;
};

Vfs::Vfs(Options options, std::function<Nanos()> wall_now)
    : options_(options), wall_now_(std::move(wall_now)) {
  root_ = NewInode(kDir, 0755);
  root_->nlink = 2;
  auto stdio = [&](int fd, int host_fd, int flags) {
    InodePtr node = NewInode(kStdio, 0620);
    node->host_fd = host_fd;
    Opened(fd, OpenFile{node, flags, 0});
  };
  stdio(0, -1, O_RDONLY);
  stdio(1, options_.stdio.host_stdout, O_WRONLY);
  stdio(2, options_.stdio.host_stderr, O_WRONLY);
}

Vfs::~Vfs() = default;

Vfs::InodePtr Vfs::NewInode(int kind, uint32_t perm) {
  auto node = std::make_shared<Inode>();
  node->kind = kind;
  node->ino = next_ino_++;
  node->perm = perm;
  node->nlink = kind == kDir ? 2 : 1;
  const Nanos now = wall_now_();
  node->atime = node->mtime = node->ctime = node->birthtime = now;
  return node;
}

void Vfs::Place(const InodePtr& node, const InodePtr& dir, const std::string& name) {
  node->parent = dir;
  node->name = name;
}

int Vfs::Opened(int fd, OpenFile file) {
  ++file.inode->open_count;
  file.opening = ++openings_;
  fds_[fd] = std::move(file);
  return fd;
}

void Vfs::Notify(Inode& node, uint32_t mask, bool to_parent) {
  // Linux marks a directory's attribute and content changes IN_ISDIR, not its IN_*_SELF events.
  if (node.kind == kDir && (mask & (IN_ATTRIB | IN_MODIFY))) mask |= IN_ISDIR;
  if (to_parent) {
    if (InodePtr dir = node.parent.lock()) NotifyEntry(*dir, mask, node.name);
  }
  for (const Inode::Watch& w : node.watches) {
    if (w.mask & mask & IN_ALL_EVENTS) w.owner->Push(w.wd, mask, 0, "");
  }
}

void Vfs::NotifyEntry(Inode& dir, uint32_t mask, const std::string& name, uint32_t cookie) {
  for (const Inode::Watch& w : dir.watches) {
    if (w.mask & mask & IN_ALL_EVENTS) w.owner->Push(w.wd, mask, cookie, name);
  }
}

void Vfs::DeleteSelfIfGone(Inode& node) {
  if (node.nlink > 0 || node.open_count > 0 || node.watches.empty()) return;
  Notify(node, IN_DELETE_SELF, false);
  // Forget may drop the last reference to node: take the watches out first.
  std::vector<Inode::Watch> watches = std::move(node.watches);
  node.watches.clear();
  for (const Inode::Watch& w : watches) {
    w.owner->Push(w.wd, IN_IGNORED, 0, "");
    w.owner->Forget(w.wd);
  }
}

int Vfs::InotifyInit() {
  InodePtr node = NewInode(kObject, 0600);
  node->object = std::make_shared<Inotify>();
  return Opened(AllocFd(), OpenFile{node, O_RDONLY, 0});
}

int Vfs::InotifyAddWatch(int fd, const std::string& path, uint32_t mask) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  auto* inotify = f->inode->kind == kObject ? dynamic_cast<Inotify*>(f->inode->object.get()) : nullptr;
  if (inotify == nullptr) return -EINVAL;
  if ((mask & IN_ALL_EVENTS) == 0) return -EINVAL;
  InodePtr node;
  int r = Resolve(path, (mask & IN_DONT_FOLLOW) == 0, &node);
  if (r < 0) return r;
  LoadHostMeta(*node);
  if ((node->perm & 0400) == 0) return -EACCES;
  if ((mask & IN_ONLYDIR) && node->kind != kDir) return -ENOTDIR;
  return inotify->AddWatch(node, mask & (IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT));
}

int Vfs::InotifyRmWatch(int fd, int wd) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  auto* inotify = f->inode->kind == kObject ? dynamic_cast<Inotify*>(f->inode->object.get()) : nullptr;
  if (inotify == nullptr) return -EINVAL;
  return inotify->RmWatch(wd);
}

void Vfs::LoadHostMeta(Inode& node) {
  if (!node.host_meta_pending) return;
  node.host_meta_pending = false;
  struct stat st;
  if (lstat(node.host_path.c_str(), &st) != 0) return;
  node.perm = st.st_mode & 07777;
  if (S_ISREG(st.st_mode)) node.host_size = st.st_size;
  if (S_ISLNK(st.st_mode)) {
    char buf[4096];
    ssize_t n = readlink(node.host_path.c_str(), buf, sizeof(buf));
    if (n > 0) node.data.assign(buf, static_cast<size_t>(n));
  }
}

void Vfs::LoadHostDir(Inode& dir) {
  if (!dir.host_children_pending) return;
  dir.host_children_pending = false;
  DIR* d = opendir(dir.host_path.c_str());
  if (d == nullptr) return;
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == ".." || dir.children.count(name)) continue;
    std::string host = dir.host_path + "/" + name;
    int kind = kFile;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (lstat(host.c_str(), &st) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
    }
    if (type == DT_DIR) kind = kDir;
    else if (type == DT_LNK) kind = kSymlink;
    else if (type != DT_REG) continue;  // devices, sockets and fifos of the host are not shown
    InodePtr child = NewInode(kind, kind == kDir ? 0755 : 0644);
    child->host_path = host;
    child->host_meta_pending = true;
    child->host_children_pending = kind == kDir;
    child->host_data_pending = kind == kFile;
    child->parent = dir.shared_from_this();
    child->name = name;
    dir.children[name] = child;
    if (kind == kDir) ++dir.nlink;
  }
  closedir(d);
}

void Vfs::LoadHostFile(Inode& file) {
  LoadHostMeta(file);
  if (!file.host_data_pending) return;
  file.host_data_pending = false;
  int fd = ::open(file.host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) file.data.append(buf, static_cast<size_t>(n));
  ::close(fd);
}

int Vfs::MountHost(const std::string& virtual_path, const std::string& host_path) {
  struct stat st;
  if (stat(host_path.c_str(), &st) != 0) return -ENOENT;
  std::vector<std::string> parts = Split(Normalize(virtual_path));
  if (parts.empty()) return -EINVAL;
  InodePtr dir = root_;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    LoadHostDir(*dir);
    auto it = dir->children.find(parts[i]);
    if (it == dir->children.end() || it->second->kind != kDir) {
      InodePtr made = NewInode(kDir, 0755);
      if (it == dir->children.end()) ++dir->nlink;
      Place(made, dir, parts[i]);
      dir->children[parts[i]] = made;
      dir = made;
    } else {
      dir = it->second;
    }
  }
  LoadHostDir(*dir);
  const bool is_dir = S_ISDIR(st.st_mode);
  InodePtr node = NewInode(is_dir ? kDir : kFile, st.st_mode & 07777);
  node->host_path = host_path;
  node->host_meta_pending = true;
  node->host_children_pending = is_dir;
  node->host_data_pending = !is_dir;
  if (!is_dir) node->host_size = st.st_size;
  if (dir->children.count(parts.back()) == 0 && is_dir) ++dir->nlink;
  Place(node, dir, parts.back());
  dir->children[parts.back()] = node;
  return 0;
}

int Vfs::MakeSink(const std::string& path, std::function<void(std::string_view)> on_write) {
  std::vector<std::string> parts = Split(Normalize(path));
  if (parts.empty()) return -EINVAL;
  for (size_t i = 1; i < parts.size(); ++i) Mkdir(Join(parts, 0, i), 0755);
  InodePtr dir, node;
  std::string name;
  int r = CreateAt(path, kSink, 0666, &dir, &name, &node);
  if (r < 0) return r;
  node->sink = std::move(on_write);
  return 0;
}

std::string Vfs::Absolute(const std::string& path) const {
  if (!path.empty() && path[0] == '/') return Normalize(path);
  return Normalize(cwd_ + "/" + path);
}

Vfs::Inode* Vfs::Child(Inode& dir, const std::string& name) {
  LoadHostDir(dir);
  auto it = dir.children.find(name);
  return it == dir.children.end() ? nullptr : it->second.get();
}

int Vfs::Resolve(const std::string& path, bool follow_last, InodePtr* node, InodePtr* parent,
                 std::string* name, std::string* resolved) {
  if (path.empty()) return -ENOENT;
  std::string p = Absolute(path);
  int links = 0;
restart:
  std::vector<std::string> parts = Split(p);
  InodePtr cur = root_;
  InodePtr up;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (cur->kind != kDir) return -ENOTDIR;
    LoadHostDir(*cur);
    auto it = cur->children.find(parts[i]);
    if (it == cur->children.end()) return -ENOENT;
    InodePtr child = it->second;
    const bool last = i + 1 == parts.size();
    if (child->kind == kSymlink && (!last || follow_last)) {
      LoadHostMeta(*child);
      if (++links > kMaxSymlinks) return -ELOOP;
      const std::string& target = child->data;
      std::string base = target.size() > 0 && target[0] == '/' ? target : Join(parts, 0, i) + "/" + target;
      p = Normalize(base + Join(parts, i + 1, parts.size()));
      if (i + 1 == parts.size()) p = Normalize(base);
      goto restart;
    }
    up = cur;
    cur = child;
  }
  *node = cur;
  if (parent) *parent = up;
  if (name) *name = parts.empty() ? "/" : parts.back();
  if (resolved) *resolved = Join(parts, 0, parts.size());
  return 0;
}

int Vfs::CreateAt(const std::string& path, int kind, uint32_t perm, InodePtr* dir, std::string* name, InodePtr* node) {
  int r = ResolveParent(path, dir, name);
  if (r < 0) return r;
  if (Child(**dir, *name) != nullptr) return -EEXIST;
  *node = NewInode(kind, perm);
  Place(*node, *dir, *name);
  (*dir)->children[*name] = *node;
  return 0;
}

int Vfs::ResolveParent(const std::string& path, InodePtr* parent, std::string* name) {
  if (path.empty()) return -ENOENT;
  std::string p = Absolute(path);
  std::vector<std::string> parts = Split(p);
  if (parts.empty()) return -EBUSY;  // the root has no parent entry to change
  InodePtr dir;
  int r = Resolve(Join(parts, 0, parts.size() - 1), true, &dir);
  if (r < 0) return r;
  if (dir->kind != kDir) return -ENOTDIR;
  LoadHostDir(*dir);
  *parent = dir;
  *name = parts.back();
  return 0;
}

void Vfs::Touch(Inode& node, bool data_changed) {
  const Nanos now = wall_now_();
  node.ctime = now;
  if (data_changed) node.mtime = now;
}

void Vfs::FillStat(Inode& node, VfsStat* st) {
  LoadHostMeta(node);
  *st = VfsStat{};
  st->dev = 0x10b5;  // one device for the whole virtual disk
  st->ino = node.ino;
  st->nlink = node.nlink;
  st->uid = options_.uid;
  st->gid = options_.gid;
  st->atime = node.atime;
  st->mtime = node.mtime;
  st->ctime = node.ctime;
  st->birthtime = node.birthtime;
  switch (node.kind) {
    case kFile:
      st->mode = S_IFREG | node.perm;
      st->size = node.host_data_pending ? node.host_size : static_cast<int64_t>(node.data.size());
      break;
    case kDir:
      st->mode = S_IFDIR | node.perm;
      st->size = 4096;
      break;
    case kSymlink:
      st->mode = S_IFLNK | 0777;
      st->size = static_cast<int64_t>(node.data.size());
      break;
    case kObject:
      st->mode = S_IFSOCK | node.perm;
      break;
    case kStdio:
    case kSink:
      st->mode = S_IFCHR | node.perm;
      st->rdev = 0x8801;
      break;
  }
  st->blocks = (st->size + 511) / 512;
}

int Vfs::AllocFd() {
  int fd = 0;
  for (const auto& [used, file] : fds_) {
    if (used != fd) break;
    ++fd;
  }
  return fd;
}

Vfs::OpenFile* Vfs::Lookup(int fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : &it->second;
}

bool Vfs::IsOpen(int fd) const { return fds_.count(fd) != 0; }

int Vfs::AddDescription(std::shared_ptr<FileDescription> description) {
  InodePtr node = NewInode(kObject, 0777);
  node->object = std::move(description);
  return Opened(AllocFd(), OpenFile{node, O_RDWR, 0});
}

FileDescription* Vfs::Description(int fd) const {
  auto it = fds_.find(fd);
  if (it == fds_.end() || it->second.inode->kind != kObject) return nullptr;
  return it->second.inode->object.get();
}

int Vfs::Dup(int fd) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return -EBADF;
  const OpenFile copy = it->second;
  return Opened(AllocFd(), copy);
}

uint64_t Vfs::Opening(int fd) const {
  auto it = fds_.find(fd);
  return it == fds_.end() ? 0 : it->second.opening;
}

void Vfs::SetStdin(std::string bytes) {
  auto it = fds_.find(0);
  LS_CHECK_MSG(it != fds_.end() && it->second.inode->kind == kStdio, "stdin was given after fd 0 was reused");
  InodePtr node = NewInode(kFile, 0400);
  node->data = std::move(bytes);
  Close(0);
  Opened(0, OpenFile{node, O_RDONLY, 0});
}

bool Vfs::IsSink(int fd) const {
  auto it = fds_.find(fd);
  return it != fds_.end() && it->second.inode->kind == kSink;
}

int Vfs::Chdir(const std::string& path) {
  InodePtr node;
  std::string resolved;
  int r = Resolve(path, true, &node, nullptr, nullptr, &resolved);
  if (r < 0) return r;
  if (node->kind != kDir) return -ENOTDIR;
  cwd_ = resolved;
  return 0;
}

int Vfs::Open(const std::string& path, int flags, uint32_t mode) {
  const int access = flags & O_ACCMODE;
  const bool writable = access == O_WRONLY || access == O_RDWR;
  InodePtr node;
  int r = Resolve(path, (flags & O_NOFOLLOW) == 0, &node);
  if (r == -ENOENT && (flags & O_CREAT)) {
    InodePtr dir;
    std::string name;
    r = CreateAt(path, kFile, mode & 07777 & ~kUmask, &dir, &name, &node);
    if (r < 0) return r;  // -EEXIST: a dangling symlink
    Touch(*dir, true);
    NotifyEntry(*dir, IN_CREATE, name);
  } else if (r < 0) {
    return r;
  } else {
    if ((flags & O_CREAT) && (flags & O_EXCL)) return -EEXIST;
    if (node->kind == kSymlink) return -ELOOP;
    if (node->kind == kDir && writable) return -EISDIR;
    if ((flags & O_DIRECTORY) && node->kind != kDir) return -ENOTDIR;
    LoadHostMeta(*node);
    if (writable && (node->perm & 0200) == 0) return -EACCES;
    if (!writable && (node->perm & 0400) == 0) return -EACCES;
    if ((flags & O_TRUNC) && writable && node->kind == kFile) {
      LoadHostFile(*node);
      WillChange(*node, caller_host_);
      node->host_data_pending = false;
      node->data.clear();
      Touch(*node, true);
      Notify(*node, IN_MODIFY, true);
    }
  }
  return Opened(AllocFd(), OpenFile{node, flags, 0, caller_host_});
}

void Vfs::WillChange(Inode& node, uint32_t host) {
  if (host == 0) return;
  LS_CHECK_MSG(host < 64, "at most 63 hosts besides the program's");
  if (node.unsynced_hosts == 0) {
    node.durable = node.data;
    unsynced_[node.ino] = node.shared_from_this();
  }
  node.unsynced_hosts |= uint64_t{1} << host;
}

void Vfs::Crash(uint32_t host) {
  const uint64_t bit = uint64_t{1} << host;
  for (auto it = unsynced_.begin(); it != unsynced_.end();) {
    InodePtr node = it->second.lock();
    if (node != nullptr && (node->unsynced_hosts & bit)) {
      node->data = std::move(node->durable);
      node->durable.clear();
      node->unsynced_hosts = 0;
      Touch(*node, true);
    }
    it = node == nullptr || node->unsynced_hosts == 0 ? unsynced_.erase(it) : std::next(it);
  }
}

int Vfs::Close(int fd) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return -EBADF;
  InodePtr node = std::move(it->second.inode);
  fds_.erase(it);
  // The last descriptor of an unlinked inode: it is gone now.
  if (--node->open_count == 0) DeleteSelfIfGone(*node);
  return 0;
}

int64_t Vfs::Read(int fd, void* buf, size_t len, int64_t offset) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr || (f->flags & O_ACCMODE) == O_WRONLY) return -EBADF;
  Inode& node = *f->inode;
  if (node.kind == kDir) return -EISDIR;
  if (node.kind == kStdio || node.kind == kSink) return 0;  // the program's stdin is empty
  if (node.kind == kObject) return node.object->Read(buf, len);
  LoadHostFile(node);
  const int64_t at = offset < 0 ? f->pos : offset;
  const int64_t size = static_cast<int64_t>(node.data.size());
  if (at >= size) return 0;
  const size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(len), size - at));
  std::memcpy(buf, node.data.data() + at, n);
  if (offset < 0) f->pos += static_cast<int64_t>(n);
  return static_cast<int64_t>(n);
}

int64_t Vfs::Write(int fd, const void* buf, size_t len, int64_t offset) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr || (f->flags & O_ACCMODE) == O_RDONLY) return -EBADF;
  Inode& node = *f->inode;
  if (node.kind == kStdio) {
    const char* p = static_cast<const char*>(buf);
    size_t left = len;
    while (left > 0) {
      ssize_t n = ::write(node.host_fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -errno;
      p += n;
      left -= static_cast<size_t>(n);
    }
    if (node.host_fd == options_.stdio.host_stderr && stderr_observer_) {
      stderr_observer_(std::string_view(static_cast<const char*>(buf), len));
    }
    return static_cast<int64_t>(len);
  }
  if (node.kind == kSink) {
    node.sink(std::string_view(static_cast<const char*>(buf), len));
    return static_cast<int64_t>(len);
  }
  if (node.kind == kObject) return node.object->Write(buf, len);
  LoadHostFile(node);
  WillChange(node, f->host);
  int64_t at = offset < 0 ? f->pos : offset;
  if (f->flags & O_APPEND) at = static_cast<int64_t>(node.data.size());
  if (static_cast<size_t>(at) + len > node.data.size()) node.data.resize(static_cast<size_t>(at) + len, '\0');
  std::memcpy(node.data.data() + at, buf, len);
  if (offset < 0 || (f->flags & O_APPEND)) f->pos = at + static_cast<int64_t>(len);
  Touch(node, true);
  if (len > 0) Notify(node, IN_MODIFY, true);
  return static_cast<int64_t>(len);
}

int Vfs::Fstat(int fd, VfsStat* st) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  FillStat(*f->inode, st);
  return 0;
}

int Vfs::Ftruncate(int fd, int64_t length) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  if (length < 0) return -EINVAL;
  if (f->inode->kind != kFile || (f->flags & O_ACCMODE) == O_RDONLY) return -EINVAL;
  LoadHostFile(*f->inode);
  WillChange(*f->inode, f->host);
  f->inode->data.resize(static_cast<size_t>(length), '\0');
  Touch(*f->inode, true);
  Notify(*f->inode, IN_MODIFY, true);
  return 0;
}

int Vfs::Fsync(int fd) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  Inode& node = *f->inode;
  if (node.unsynced_hosts != 0) {
    node.unsynced_hosts = 0;
    node.durable.clear();
    unsynced_.erase(node.ino);
  }
  return 0;
}

int Vfs::Futime(int fd, Nanos atime, Nanos mtime) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  f->inode->atime = atime;
  f->inode->mtime = mtime;
  Touch(*f->inode, false);
  Notify(*f->inode, IN_ATTRIB, true);
  return 0;
}

int Vfs::Fchmod(int fd, uint32_t mode) {
  OpenFile* f = Lookup(fd);
  if (f == nullptr) return -EBADF;
  f->inode->perm = mode & 07777;
  f->inode->host_meta_pending = false;
  Touch(*f->inode, false);
  Notify(*f->inode, IN_ATTRIB, true);
  return 0;
}

int Vfs::StatPath(const std::string& path, bool follow, VfsStat* st) {
  InodePtr node;
  int r = Resolve(path, follow, &node);
  if (r < 0) return r;
  FillStat(*node, st);
  return 0;
}

int Vfs::Stat(const std::string& path, VfsStat* st) { return StatPath(path, true, st); }

int Vfs::Lstat(const std::string& path, VfsStat* st) { return StatPath(path, false, st); }

int Vfs::Access(const std::string& path, int mode) {
  InodePtr node;
  int r = Resolve(path, true, &node);
  if (r < 0) return r;
  LoadHostMeta(*node);
  if ((mode & R_OK) && !(node->perm & 0400)) return -EACCES;
  if ((mode & W_OK) && !(node->perm & 0200)) return -EACCES;
  if ((mode & X_OK) && !(node->perm & 0100)) return -EACCES;
  return 0;
}

int Vfs::Mkdir(const std::string& path, uint32_t mode) {
  InodePtr dir;
  std::string name;
  int r = ResolveParent(path, &dir, &name);
  if (r < 0) return r;
  if (name == "." || name == ".." || Child(*dir, name) != nullptr) return -EEXIST;
  InodePtr made = NewInode(kDir, mode & 07777 & ~kUmask);
  Place(made, dir, name);
  dir->children[name] = made;
  ++dir->nlink;
  Touch(*dir, true);
  NotifyEntry(*dir, IN_CREATE | IN_ISDIR, name);
  return 0;
}

// The name a temporary file or directory takes: the template with its trailing XXXXXX replaced by the
// next of a deterministic series of names.
static bool IsTemplate(const std::string& t) { return t.size() >= 6 && t.compare(t.size() - 6, 6, "XXXXXX") == 0; }

void Vfs::NextTempName(std::string* path_template) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string& t = *path_template;
  uint64_t state = ++temp_counter_;
  uint64_t bits = SplitMix64(state);
  for (size_t i = 0; i < 6; ++i) {
    t[t.size() - 6 + i] = kAlphabet[bits % 62];
    bits /= 62;
  }
}

int Vfs::Mkdtemp(std::string* path_template) {
  if (!IsTemplate(*path_template)) return -EINVAL;
  for (int attempt = 0; attempt < 100; ++attempt) {
    NextTempName(path_template);
    int r = Mkdir(*path_template, 0700);
    if (r != -EEXIST) return r;
  }
  return -EEXIST;
}

int Vfs::Mkstemp(std::string* path_template) {
  if (!IsTemplate(*path_template)) return -EINVAL;
  for (int attempt = 0; attempt < 100; ++attempt) {
    NextTempName(path_template);
    int r = Open(*path_template, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (r != -EEXIST) return r;
  }
  return -EEXIST;
}

int Vfs::Rmdir(const std::string& path) {
  InodePtr dir;
  std::string name;
  int r = ResolveParent(path, &dir, &name);
  if (r < 0) return r;
  if (name == ".") return -EINVAL;
  Inode* node = Child(*dir, name);
  if (node == nullptr) return -ENOENT;
  if (node->kind != kDir) return -ENOTDIR;
  LoadHostDir(*node);
  if (!node->children.empty()) return -ENOTEMPTY;
  InodePtr removed = dir->children[name];
  dir->children.erase(name);
  --dir->nlink;
  Touch(*dir, true);
  removed->nlink = 0;
  removed->parent.reset();
  // As Linux's rmdir: the directory goes (if nothing holds it open), then the entry's IN_DELETE.
  DeleteSelfIfGone(*removed);
  NotifyEntry(*dir, IN_DELETE | IN_ISDIR, name);
  return 0;
}

int Vfs::Unlink(const std::string& path) {
  InodePtr dir;
  std::string name;
  int r = ResolveParent(path, &dir, &name);
  if (r < 0) return r;
  Inode* node = Child(*dir, name);
  if (node == nullptr) return -ENOENT;
  if (node->kind == kDir) return -EISDIR;
  InodePtr removed = dir->children[name];
  --removed->nlink;
  Touch(*removed, false);
  dir->children.erase(name);
  Touch(*dir, true);
  if (removed->parent.lock() == dir && removed->name == name) removed->parent.reset();
  // As Linux's unlink: the link count change (IN_ATTRIB), the inode goes if that was its last link and
  // nothing holds it open, then the entry's IN_DELETE.
  Notify(*removed, IN_ATTRIB, false);
  DeleteSelfIfGone(*removed);
  NotifyEntry(*dir, IN_DELETE, name);
  return 0;
}

int Vfs::Rename(const std::string& from, const std::string& to) {
  InodePtr from_dir, to_dir;
  std::string from_name, to_name;
  int r = ResolveParent(from, &from_dir, &from_name);
  if (r < 0) return r;
  r = ResolveParent(to, &to_dir, &to_name);
  if (r < 0) return r;
  Inode* src = Child(*from_dir, from_name);
  if (src == nullptr) return -ENOENT;
  InodePtr moving = from_dir->children[from_name];
  InodePtr replaced;
  if (Inode* dst = Child(*to_dir, to_name)) {
    if (dst == src) return 0;
    replaced = to_dir->children[to_name];
    if (src->kind == kDir && dst->kind != kDir) return -ENOTDIR;
    if (src->kind != kDir && dst->kind == kDir) return -EISDIR;
    if (dst->kind == kDir) {
      LoadHostDir(*dst);
      if (!dst->children.empty()) return -ENOTEMPTY;
    }
  }
  if (moving->kind == kDir) {
    // A directory cannot move below itself.
    const std::string a = Absolute(from) + "/";
    const std::string b = Absolute(to) + "/";
    if (b.compare(0, a.size(), a) == 0) return -EINVAL;
    --from_dir->nlink;
    ++to_dir->nlink;
  }
  if (replaced) {
    if (replaced->kind == kDir) {
      --to_dir->nlink;
      replaced->nlink = 0;
    } else {
      --replaced->nlink;
    }
    if (replaced->parent.lock() == to_dir && replaced->name == to_name) replaced->parent.reset();
  }
  from_dir->children.erase(from_name);
  to_dir->children[to_name] = moving;
  Place(moving, to_dir, to_name);
  Touch(*from_dir, true);
  Touch(*to_dir, true);
  Touch(*moving, false);
  // As Linux's rename: the pair of entry events sharing a cookie, the replaced inode's link count, the
  // moved inode's IN_MOVE_SELF; then the replaced inode goes if that was its last link.
  const uint32_t cookie = ++move_cookie_;
  const uint32_t isdir = moving->kind == kDir ? IN_ISDIR : 0;
  NotifyEntry(*from_dir, IN_MOVED_FROM | isdir, from_name, cookie);
  NotifyEntry(*to_dir, IN_MOVED_TO | isdir, to_name, cookie);
  if (replaced) Notify(*replaced, IN_ATTRIB, false);
  Notify(*moving, IN_MOVE_SELF, false);
  if (replaced) DeleteSelfIfGone(*replaced);
  return 0;
}

int Vfs::Link(const std::string& existing, const std::string& new_path) {
  InodePtr node;
  int r = Resolve(existing, false, &node);
  if (r < 0) return r;
  if (node->kind == kDir) return -EPERM;
  InodePtr dir;
  std::string name;
  r = ResolveParent(new_path, &dir, &name);
  if (r < 0) return r;
  if (Child(*dir, name) != nullptr) return -EEXIST;
  LoadHostFile(*node);
  dir->children[name] = node;
  ++node->nlink;
  Touch(*node, false);
  Touch(*dir, true);
  Notify(*node, IN_ATTRIB, false);
  NotifyEntry(*dir, IN_CREATE, name);
  return 0;
}

int Vfs::Symlink(const std::string& target, const std::string& link_path) {
  InodePtr dir, node;
  std::string name;
  int r = CreateAt(link_path, kSymlink, 0777, &dir, &name, &node);
  if (r < 0) return r;
  node->data = target;
  Touch(*dir, true);
  NotifyEntry(*dir, IN_CREATE, name);
  return 0;
}

int Vfs::Readlink(const std::string& path, std::string* target) {
  InodePtr node;
  int r = Resolve(path, false, &node);
  if (r < 0) return r;
  if (node->kind != kSymlink) return -EINVAL;
  LoadHostMeta(*node);
  *target = node->data;
  return 0;
}

int Vfs::Realpath(const std::string& path, std::string* resolved) {
  InodePtr node;
  return Resolve(path, true, &node, nullptr, nullptr, resolved);
}

int Vfs::Scandir(const std::string& path, std::vector<VfsDirEntry>* entries) {
  InodePtr node;
  int r = Resolve(path, true, &node);
  if (r < 0) return r;
  if (node->kind != kDir) return -ENOTDIR;
  LoadHostDir(*node);
  entries->clear();
  for (const auto& [name, child] : node->children) {
    VfsDirEntry::Type type = child->kind == kDir       ? VfsDirEntry::Type::kDir
                             : child->kind == kSymlink ? VfsDirEntry::Type::kSymlink
                             : child->kind == kStdio || child->kind == kSink ? VfsDirEntry::Type::kChar
                                                       : VfsDirEntry::Type::kFile;
    entries->push_back({name, type});
  }
  return 0;
}

int Vfs::Chmod(const std::string& path, uint32_t mode) {
  InodePtr node;
  int r = Resolve(path, true, &node);
  if (r < 0) return r;
  LoadHostMeta(*node);
  node->perm = mode & 07777;
  Touch(*node, false);
  Notify(*node, IN_ATTRIB, true);
  return 0;
}

int Vfs::Utime(const std::string& path, Nanos atime, Nanos mtime, bool follow) {
  InodePtr node;
  int r = Resolve(path, follow, &node);
  if (r < 0) return r;
  node->atime = atime;
  node->mtime = mtime;
  Touch(*node, false);
  Notify(*node, IN_ATTRIB, true);
  return 0;
}

int Vfs::CopyFile(const std::string& from, const std::string& to, bool exclusive, bool keep_times) {
  InodePtr src;
  int r = Resolve(from, true, &src);
  if (r < 0) return r;
  if (src->kind == kDir) return -EISDIR;
  LoadHostFile(*src);
  // The steps libuv's copyfile takes, so the destination sees the same changes: open (creating it),
  // truncate unless it was created exclusively, give it the source's times (if asked) and mode, copy
  // the bytes.
  int fd = Open(to, O_WRONLY | O_CREAT | (exclusive ? O_EXCL : 0), src->perm);
  if (fd < 0) return fd;
  if (!exclusive) {
    if (Lookup(fd)->inode == src) return Close(fd);  // copying a file onto itself
    r = Ftruncate(fd, 0);
  }
  if (r == 0 && keep_times) r = Futime(fd, src->atime, src->mtime);
  if (r == 0) r = Fchmod(fd, src->perm);
  if (r == 0 && !src->data.empty()) {
    const int64_t n = Write(fd, src->data.data(), src->data.size(), 0);
    if (n < 0) r = static_cast<int>(n);
  }
  Close(fd);
  return r;
}

}  // namespace loopsim
