#include "fakeos/vfs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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
  std::ifstream in(host_ + "/hello.txt");
  std::string host_content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(host_content, "hello from the host");
  EXPECT_FALSE(std::filesystem::exists(host_ + "/new.txt"));
  EXPECT_TRUE(std::filesystem::exists(host_ + "/sub/a.txt"));
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

}  // namespace
}  // namespace loopsim
