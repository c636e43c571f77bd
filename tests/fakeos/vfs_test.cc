#include "fakeos/vfs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tests/support/files.h"

namespace loopsim {
namespace {

class VfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/loopsim-vfs-test-XXXXXX";
    host_ = mkdtemp(tmpl);
    std::ofstream(host_ + "/hello.txt") << "hello from the host";
    std::filesystem::create_directory(host_ + "/sub");
    std::ofstream(host_ + "/sub/b.txt") << "b";
    std::ofstream(host_ + "/sub/a.txt") << "a";
    ASSERT_EQ(vfs_.MountHost("/app", host_), 0);
  }
  void TearDown() override { std::filesystem::remove_all(host_); }

  std::string ReadAll(const std::string& path) {
    int fd = vfs_.Open(path, O_RDONLY, 0);
    if (fd < 0) return "<" + std::to_string(fd) + ">";
    std::string out;
    char buf[7];
    int64_t n;
    while ((n = vfs_.Read(fd, buf, sizeof(buf), -1)) > 0) out.append(buf, static_cast<size_t>(n));
    vfs_.Close(fd);
    return out;
  }
  int WriteAll(const std::string& path, const std::string& data, int flags = O_WRONLY | O_CREAT | O_TRUNC) {
    int fd = vfs_.Open(path, flags, 0644);
    if (fd < 0) return fd;
    int64_t n = vfs_.Write(fd, data.data(), data.size(), -1);
    vfs_.Close(fd);
    return n < 0 ? static_cast<int>(n) : 0;
  }

  std::string host_;
  Vfs vfs_{Vfs::Options{}, [] { return Seconds(1000); }};
};

TEST_F(VfsTest, HostFilesAreReadable) { EXPECT_EQ(ReadAll("/app/hello.txt"), "hello from the host"); }

TEST_F(VfsTest, WritesNeverReachTheHost) {
  ASSERT_EQ(WriteAll("/app/hello.txt", "changed"), 0);
  ASSERT_EQ(WriteAll("/app/new.txt", "new"), 0);
  ASSERT_EQ(vfs_.Unlink("/app/sub/a.txt"), 0);
  EXPECT_EQ(ReadAll("/app/hello.txt"), "changed");
  EXPECT_EQ(ReadAll("/app/new.txt"), "new");
  EXPECT_EQ(testing::Slurp(host_ + "/hello.txt"), "hello from the host");
  EXPECT_FALSE(std::filesystem::exists(host_ + "/new.txt"));
  EXPECT_TRUE(std::filesystem::exists(host_ + "/sub/a.txt"));
}

TEST(VfsStdio, TheStderrObserverHearsWritesToStderrOnly) {
  int out[2], err[2];
  ASSERT_EQ(pipe(out), 0);
  ASSERT_EQ(pipe(err), 0);
  Vfs::Options options;
  options.stdio = {out[1], err[1]};
  Vfs vfs(options, [] { return Seconds(1000); });
  std::string heard;
  vfs.ObserveStderr([&](std::string_view text) { heard += std::string(text) + "|"; });
  EXPECT_EQ(vfs.Write(1, "to stdout\n", 10, -1), 10);
  EXPECT_EQ(vfs.Write(2, "to stderr\n", 10, -1), 10);
  const int file = vfs.Open("/log", O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(file, 0);
  EXPECT_EQ(vfs.Write(file, "to a file\n", 10, -1), 10);
  EXPECT_EQ(vfs.Write(2, "again\n", 6, -1), 6);
  EXPECT_EQ(heard, "to stderr\n|again\n|");
  char buf[32];
  EXPECT_EQ(read(err[0], buf, sizeof buf), 16);  // the observer only hears: the bytes reach the host
  for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
}

TEST(VfsStdio, StdinReadsNothingUntilGivenBytesThenReadsThemAsARegularFile) {
  Vfs vfs(Vfs::Options{}, [] { return Seconds(1000); });
  char buf[8];
  EXPECT_EQ(vfs.Read(0, buf, sizeof buf, -1), 0);
  VfsStat st;
  ASSERT_EQ(vfs.Fstat(0, &st), 0);
  EXPECT_TRUE(S_ISCHR(st.mode));
  vfs.SetStdin("hello, stdin");
  ASSERT_EQ(vfs.Fstat(0, &st), 0);
  EXPECT_TRUE(S_ISREG(st.mode));
  EXPECT_EQ(st.size, 12);
  EXPECT_EQ(vfs.Read(0, buf, 5, 7), 5);  // a positioned read leaves the position alone
  EXPECT_EQ(std::string(buf, 5), "stdin");
  std::string all;
  int64_t n;
  while ((n = vfs.Read(0, buf, sizeof buf, -1)) > 0) all.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(all, "hello, stdin");
  EXPECT_EQ(vfs.Write(0, "x", 1, -1), -EBADF);
}

TEST_F(VfsTest, PathsOutsideTheMountsDoNotExist) {
  VfsStat st;
  EXPECT_EQ(vfs_.Stat("/etc/passwd", &st), -ENOENT);
  EXPECT_EQ(vfs_.Stat(host_ + "/hello.txt", &st), -ENOENT);
}

TEST_F(VfsTest, ReaddirIsSortedAndDeterministic) {
  std::vector<VfsDirEntry> entries;
  ASSERT_EQ(vfs_.Scandir("/app/sub", &entries), 0);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "a.txt");
  EXPECT_EQ(entries[1].name, "b.txt");
}

TEST_F(VfsTest, ErrorsAreTheOnesPosixGives) {
  EXPECT_EQ(vfs_.Open("/app/missing", O_RDONLY, 0), -ENOENT);
  EXPECT_EQ(vfs_.Open("/app/hello.txt/x", O_RDONLY, 0), -ENOTDIR);
  EXPECT_EQ(vfs_.Open("/app/sub", O_WRONLY, 0), -EISDIR);
  EXPECT_EQ(vfs_.Open("/app/hello.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST);
  EXPECT_EQ(vfs_.Mkdir("/app/sub", 0755), -EEXIST);
  EXPECT_EQ(vfs_.Rmdir("/app/sub"), -ENOTEMPTY);
  EXPECT_EQ(vfs_.Unlink("/app/sub"), -EISDIR);
  EXPECT_EQ(vfs_.Rmdir("/app/hello.txt"), -ENOTDIR);
  EXPECT_EQ(vfs_.Read(99, nullptr, 0, -1), -EBADF);
}

TEST_F(VfsTest, RenameReplacesAnExistingFile) {
  ASSERT_EQ(WriteAll("/app/tmp", "fresh"), 0);
  ASSERT_EQ(vfs_.Rename("/app/tmp", "/app/hello.txt"), 0);
  EXPECT_EQ(ReadAll("/app/hello.txt"), "fresh");
  VfsStat st;
  EXPECT_EQ(vfs_.Stat("/app/tmp", &st), -ENOENT);
}

TEST_F(VfsTest, AnUnlinkedOpenFileStaysReadable) {
  int fd = vfs_.Open("/app/hello.txt", O_RDONLY, 0);
  ASSERT_GE(fd, 3);
  ASSERT_EQ(vfs_.Unlink("/app/hello.txt"), 0);
  char buf[5];
  EXPECT_EQ(vfs_.Read(fd, buf, 5, 0), 5);
  EXPECT_EQ(std::string(buf, 5), "hello");
  EXPECT_EQ(vfs_.Close(fd), 0);
}

TEST_F(VfsTest, AppendWritesAtTheEnd) {
  ASSERT_EQ(WriteAll("/app/log", "one,"), 0);
  ASSERT_EQ(WriteAll("/app/log", "two", O_WRONLY | O_APPEND), 0);
  EXPECT_EQ(ReadAll("/app/log"), "one,two");
}

TEST_F(VfsTest, FdsAreTheLowestFree) {
  int a = vfs_.Open("/app/hello.txt", O_RDONLY, 0);
  int b = vfs_.Open("/app/hello.txt", O_RDONLY, 0);
  EXPECT_EQ(a, 3);
  EXPECT_EQ(b, 4);
  vfs_.Close(a);
  EXPECT_EQ(vfs_.Open("/app/hello.txt", O_RDONLY, 0), 3);
}

// A descriptor number comes back for the next open once closed; its opening does not, so whoever noted
// the first can tell the number is another file's now (a child process's pipe end at its exit).
TEST_F(VfsTest, AReusedDescriptorIsAnotherOpening) {
  const int a = vfs_.Open("/app/hello.txt", O_RDONLY, 0);
  ASSERT_GE(a, 0);
  const uint64_t first = vfs_.Opening(a);
  EXPECT_NE(first, 0u);
  const int copy = vfs_.Dup(a);
  ASSERT_GE(copy, 0);
  EXPECT_NE(vfs_.Opening(copy), first) << "a dup is an opening of its own";
  ASSERT_EQ(vfs_.Close(a), 0);
  EXPECT_EQ(vfs_.Opening(a), 0u);
  const int b = vfs_.Open("/app/hello.txt", O_RDONLY, 0);
  ASSERT_EQ(b, a) << "the lowest free number";
  EXPECT_NE(vfs_.Opening(b), first);
  EXPECT_NE(vfs_.Opening(b), vfs_.Opening(copy));
}

TEST_F(VfsTest, SymlinksResolve) {
  ASSERT_EQ(vfs_.Symlink("sub/a.txt", "/app/link"), 0);
  EXPECT_EQ(ReadAll("/app/link"), "a");
  std::string real;
  ASSERT_EQ(vfs_.Realpath("/app/link", &real), 0);
  EXPECT_EQ(real, "/app/sub/a.txt");
  VfsStat st;
  ASSERT_EQ(vfs_.Lstat("/app/link", &st), 0);
  EXPECT_TRUE(S_ISLNK(st.mode));
  ASSERT_EQ(vfs_.Symlink("/app/loop", "/app/loop"), 0);
  EXPECT_EQ(vfs_.Open("/app/loop", O_RDONLY, 0), -ELOOP);
}

TEST_F(VfsTest, MkdtempCreatesAFreshDirectory) {
  ASSERT_EQ(vfs_.Mkdir("/tmp", 0777), 0);
  std::string a = "/tmp/x-XXXXXX", b = "/tmp/x-XXXXXX";
  ASSERT_EQ(vfs_.Mkdtemp(&a), 0);
  ASSERT_EQ(vfs_.Mkdtemp(&b), 0);
  EXPECT_NE(a, b);
  VfsStat st;
  EXPECT_EQ(vfs_.Stat(a, &st), 0);
  EXPECT_TRUE(S_ISDIR(st.mode));
}

// inotify on the virtual disk. The expected event lists were recorded from Linux 6.x running the same
// sequence of system calls on a real directory with libuv's watch mask (a C program under /tmp; each
// step is followed by one read of the inotify descriptor).
class InotifyTest : public VfsTest {
 protected:
  static constexpr uint32_t kMask = IN_ATTRIB | IN_CREATE | IN_MODIFY | IN_DELETE | IN_DELETE_SELF |
                                    IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO;
  void SetUp() override {
    VfsTest::SetUp();
    ASSERT_EQ(vfs_.Mkdir("/d", 0755), 0);
    ifd_ = vfs_.InotifyInit();
    ASSERT_GE(ifd_, 0);
  }
  // One read of the inotify descriptor, as "[wd1 CREATE a] [wd2 MODIFY]".
  std::string Drain() {
    char buf[4096];
    const int64_t n = vfs_.Read(ifd_, buf, sizeof(buf), -1);
    if (n == -EAGAIN) return "(none)";
    std::string out;
    for (int64_t at = 0; at < n;) {
      inotify_event e;
      std::memcpy(&e, buf + at, sizeof(e));
      out += out.empty() ? "[" : " [";
      out += "wd" + std::to_string(e.wd);
      static constexpr std::pair<uint32_t, const char*> kNames[] = {
          {IN_CREATE, "CREATE"},         {IN_MODIFY, "MODIFY"},       {IN_ATTRIB, "ATTRIB"},
          {IN_DELETE, "DELETE"},         {IN_DELETE_SELF, "DELETE_SELF"}, {IN_MOVE_SELF, "MOVE_SELF"},
          {IN_MOVED_FROM, "MOVED_FROM"}, {IN_MOVED_TO, "MOVED_TO"},   {IN_IGNORED, "IGNORED"},
          {IN_ISDIR, "ISDIR"}};
      for (auto [bit, name] : kNames) {
        if (e.mask & bit) out += std::string(" ") + name;
      }
      if (e.len > 0) out += std::string(" ") + (buf + at + sizeof(e));
      out += "]";
      at += static_cast<int64_t>(sizeof(e) + e.len);
    }
    return out;
  }
  int ifd_ = -1;
};

TEST_F(InotifyTest, EventsFollowLinux) {
  const int wd = vfs_.InotifyAddWatch(ifd_, "/d", kMask);
  ASSERT_EQ(wd, 1);
  EXPECT_EQ(Drain(), "(none)");
  int fd = vfs_.Open("/d/a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_EQ(Drain(), "[wd1 CREATE a]");
  vfs_.Write(fd, "x", 1, -1);
  vfs_.Write(fd, "y", 1, -1);
  EXPECT_EQ(Drain(), "[wd1 MODIFY a]") << "two unread equal events merge";
  vfs_.Close(fd);
  EXPECT_EQ(Drain(), "(none)");
  ASSERT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/a", kMask), 2);
  fd = vfs_.Open("/d/a", O_WRONLY | O_TRUNC, 0);
  EXPECT_EQ(Drain(), "[wd1 MODIFY a] [wd2 MODIFY]");
  vfs_.Write(fd, "z", 1, -1);
  EXPECT_EQ(Drain(), "[wd1 MODIFY a] [wd2 MODIFY]");
  vfs_.Close(fd);
  vfs_.Chmod("/d/a", 0600);
  EXPECT_EQ(Drain(), "[wd1 ATTRIB a] [wd2 ATTRIB]");
  vfs_.Utime("/d/a", Seconds(1), Seconds(2), true);
  EXPECT_EQ(Drain(), "[wd1 ATTRIB a] [wd2 ATTRIB]");
  vfs_.Link("/d/a", "/d/b");
  EXPECT_EQ(Drain(), "[wd2 ATTRIB] [wd1 CREATE b]");
  vfs_.Rename("/d/a", "/d/c");
  EXPECT_EQ(Drain(), "[wd1 MOVED_FROM a] [wd1 MOVED_TO c] [wd2 MOVE_SELF]");
  vfs_.Close(vfs_.Open("/d/e", O_WRONLY | O_CREAT, 0644));
  EXPECT_EQ(Drain(), "[wd1 CREATE e]");
  vfs_.Rename("/d/e", "/d/c");
  EXPECT_EQ(Drain(), "[wd1 MOVED_FROM e] [wd1 MOVED_TO c] [wd2 ATTRIB]");
  vfs_.Unlink("/d/b");
  EXPECT_EQ(Drain(), "[wd2 ATTRIB] [wd2 DELETE_SELF] [wd2 IGNORED] [wd1 DELETE b]");
  ASSERT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/c", kMask), 3);
  fd = vfs_.Open("/d/c", O_RDONLY, 0);
  vfs_.Unlink("/d/c");
  EXPECT_EQ(Drain(), "[wd3 ATTRIB] [wd1 DELETE c]") << "an open file is not gone yet";
  vfs_.Close(fd);
  EXPECT_EQ(Drain(), "[wd3 DELETE_SELF] [wd3 IGNORED]");
  vfs_.Mkdir("/d/s", 0755);
  EXPECT_EQ(Drain(), "[wd1 CREATE ISDIR s]");
  ASSERT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/s", kMask), 4);
  vfs_.Rmdir("/d/s");
  EXPECT_EQ(Drain(), "[wd4 DELETE_SELF] [wd4 IGNORED] [wd1 DELETE ISDIR s]");
  fd = vfs_.Open("/d/f", O_WRONLY | O_CREAT, 0644);
  vfs_.Write(fd, "1", 1, -1);
  vfs_.Close(fd);
  EXPECT_EQ(Drain(), "[wd1 CREATE f] [wd1 MODIFY f]");
  vfs_.Mkdir("/d/s", 0755);
  ASSERT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/s", kMask), 5);
  EXPECT_EQ(Drain(), "[wd1 CREATE ISDIR s]");
  vfs_.Chmod("/d/s", 0700);
  vfs_.Rename("/d/s", "/d/t");
  EXPECT_EQ(Drain(),
            "[wd1 ATTRIB ISDIR s] [wd5 ATTRIB ISDIR] [wd1 MOVED_FROM ISDIR s] [wd1 MOVED_TO ISDIR t] [wd5 MOVE_SELF]");
}

TEST_F(InotifyTest, WatchesAreOnInodesAndCanBeRemoved) {
  ASSERT_EQ(vfs_.Mkdir("/d/sub", 0755), 0);
  ASSERT_EQ(vfs_.Symlink("/d/sub", "/d/alias"), 0);
  const int wd = vfs_.InotifyAddWatch(ifd_, "/d/sub", kMask);
  EXPECT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/alias", IN_CREATE), wd) << "one inode, one watch";
  vfs_.Chmod("/d/sub", 0700);
  EXPECT_EQ(Drain(), "(none)") << "the second add replaced the mask";
  EXPECT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/missing", kMask), -ENOENT);
  EXPECT_EQ(vfs_.InotifyAddWatch(ifd_, "/d/sub", 0), -EINVAL);
  EXPECT_EQ(vfs_.InotifyAddWatch(0, "/d/sub", kMask), -EINVAL) << "not an inotify descriptor";
  EXPECT_EQ(vfs_.InotifyRmWatch(ifd_, wd), 0);
  EXPECT_EQ(Drain(), "[wd1 IGNORED]");
  EXPECT_EQ(vfs_.InotifyRmWatch(ifd_, wd), -EINVAL);
  vfs_.Mkdir("/d/sub/x", 0755);
  EXPECT_EQ(Drain(), "(none)");
}

TEST_F(InotifyTest, ReadsWholeRecordsAndSaysWhenItIsReadable) {
  vfs_.InotifyAddWatch(ifd_, "/d", kMask);
  FileDescription* d = vfs_.Description(ifd_);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Poll(), 0u);
  vfs_.Mkdir("/d/a-name-longer-than-sixteen", 0755);
  vfs_.Mkdir("/d/b", 0755);
  EXPECT_EQ(d->Poll(), kPollIn);
  EXPECT_EQ(d->ReadableCount(), 16 + 32 + 16 + 16);
  char small[20];
  EXPECT_EQ(vfs_.Read(ifd_, small, sizeof(small), -1), -EINVAL) << "no room for the first record";
  char buf[64];
  EXPECT_EQ(vfs_.Read(ifd_, buf, sizeof(buf), -1), 48) << "only whole records";
  EXPECT_EQ(vfs_.Read(ifd_, buf, sizeof(buf), -1), 32);
  EXPECT_EQ(d->Poll(), 0u);
  vfs_.Close(ifd_);
  vfs_.Mkdir("/d/c", 0755);  // the watches went with the descriptor
}

}  // namespace
}  // namespace loopsim
