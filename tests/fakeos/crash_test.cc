// A host that crashes (net.h, vfs.h "Durability"): its connections vanish without a FIN or an RST (a peer
// hears an RST only when it sends), its ports are free again, the crash handler hears of it, and the
// files it changed go back to what they were at their last fsync.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "fakeos/kernel.h"

namespace loopsim {
namespace {

using Sock = std::shared_ptr<StreamSocket>;

class VfsCrash : public ::testing::Test {
 protected:
  void Put(uint32_t host, const std::string& path, const std::string& text, bool sync, int flags = O_TRUNC) {
    vfs_.set_caller_host(host);
    const int fd = vfs_.Open(path, O_WRONLY | O_CREAT | flags, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(vfs_.Write(fd, text.data(), text.size(), -1), static_cast<int64_t>(text.size()));
    if (sync) {
      ASSERT_EQ(vfs_.Fsync(fd), 0);
    }
    vfs_.Close(fd);
    vfs_.set_caller_host(0);
  }
  std::string Get(const std::string& path) {
    const int fd = vfs_.Open(path, O_RDONLY, 0);
    if (fd < 0) return "<" + std::to_string(fd) + ">";
    char buffer[256];
    const int64_t n = vfs_.Read(fd, buffer, sizeof buffer, 0);
    vfs_.Close(fd);
    return std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  }
  Vfs vfs_{Vfs::Options{}, [] { return Seconds(1000); }};
};

TEST_F(VfsCrash, UnsyncedBytesOfTheCrashedHostAreLostAndTheRestStays) {
  Put(1, "/synced", "durable", true);
  Put(1, "/unsynced", "volatile", false);
  Put(1, "/later", "first", true);
  Put(1, "/later", "-second", false, O_APPEND);
  Put(2, "/other-host", "theirs", false);
  Put(0, "/program-host", "mine", false);
  vfs_.Crash(1);
  EXPECT_EQ(Get("/synced"), "durable");
  EXPECT_EQ(Get("/unsynced"), "");  // the file exists (metadata is durable), its bytes are gone
  EXPECT_EQ(Get("/later"), "first");
  EXPECT_EQ(Get("/other-host"), "theirs");
  EXPECT_EQ(Get("/program-host"), "mine");
  // A second crash finds nothing more to lose; a truncation is a change like any other.
  Put(1, "/synced", "", false);
  EXPECT_EQ(Get("/synced"), "");
  vfs_.Crash(1);
  EXPECT_EQ(Get("/synced"), "durable");
}

Kernel::Options TwoHosts() {
  Kernel::Options o;
  o.seed = 1;
  o.hosts = {{"db", {IpAddr::Of("10.0.0.2")}}};
  return o;
}

void Advance(Kernel& k, Nanos d) {
  bool deadlock;
  k.Poll(d, false, &deadlock);
}

TEST(NetCrash, ACrashedHostsConnectionsVanishSilentlyAndItsPortIsFree) {
  Kernel k(TwoHosts());
  Network& net = k.net();
  std::vector<HostId> crashed;
  net.SetCrashHandler([&](HostId h) { crashed.push_back(h); });
  const HostId db = static_cast<HostId>(net.FindHost("db"));
  Sock listener, client, server;
  ASSERT_EQ(net.NewStreamSocket(db, false, &listener), 0);
  ASSERT_EQ(listener->Bind(SockAddr::Inet("10.0.0.2", 5000)), 0);
  ASSERT_EQ(listener->Listen(8), 0);
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &client), 0);
  ASSERT_EQ(client->Connect(SockAddr::Inet("10.0.0.2", 5000)), -EINPROGRESS);
  Advance(k, Milliseconds(10));
  ASSERT_EQ(listener->Accept(&server), 0);
  ASSERT_EQ(server->Write("queued", 6), 6);

  net.CrashHost(db);
  EXPECT_EQ(crashed, std::vector<HostId>{db});
  server.reset();  // the host's processes die: their descriptors close, but nothing is sent
  listener.reset();
  Advance(k, Seconds(1));
  EXPECT_EQ(client->Poll() & (kPollIn | kPollErr | kPollHup), 0u);  // no FIN, no RST, no bytes

  // The port is free for the host's next process; the old connection's peer learns of the crash
  // when it sends: the host answers with an RST.
  Sock again;
  ASSERT_EQ(net.NewStreamSocket(db, false, &again), 0);
  EXPECT_EQ(again->Bind(SockAddr::Inet("10.0.0.2", 5000)), 0);
  ASSERT_EQ(client->Write("hello?", 6), 6);
  Advance(k, Milliseconds(10));
  char buffer[16];
  EXPECT_EQ(client->Read(buffer, sizeof buffer), -ECONNRESET);
}

}  // namespace
}  // namespace loopsim
