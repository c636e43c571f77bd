// Tests of the IOCP model. Suites named *Property hold the property tests (label `property`) and the
// tests showing each property fails when its rule is broken on purpose. For a deep local run:
//   RC_PARAMS="max_success=10000" ./iocp_test --gtest_filter='*Property*'
#include "fakeos/iocp.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <map>
#include <string>

#include "fakeos/kernel.h"
#include "fakeos/pipe.h"
#include "tests/support/mutation.h"

namespace loopsim {
namespace {

using testing::RandomOps;
using testing::With;

std::vector<IocpCompletion> DequeueAll(Iocp& port, int max = 64) {
  std::vector<IocpCompletion> out(static_cast<size_t>(max));
  const int n = port.Dequeue(out.data(), max);
  EXPECT_GE(n, 0);
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

TEST(Iocp, AReadCompletesWithTheDataOnceItArrives) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe();
  ASSERT_EQ(port.Associate(p.read.get(), 7), 0);
  char buf[16];
  ASSERT_EQ(port.Read(p.read.get(), 100, buf, sizeof(buf)), 0);
  EXPECT_TRUE(DequeueAll(port).empty());
  ASSERT_EQ(p.write->Write("data", 4), 4);
  auto c = DequeueAll(port);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].key, 7u);
  EXPECT_EQ(c[0].overlapped, 100u);
  EXPECT_EQ(c[0].result, 4);
  EXPECT_EQ(std::string(buf, 4), "data");
  EXPECT_EQ(port.pending_operations(), 0u);
}

TEST(Iocp, AZeroByteReadCompletesOnReadabilityWithoutTakingData) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe();
  ASSERT_EQ(port.Associate(p.read.get(), 1), 0);
  ASSERT_EQ(port.Read(p.read.get(), 1, nullptr, 0), 0);
  ASSERT_EQ(p.write->Write("x", 1), 1);
  auto c = DequeueAll(port);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].result, 0);
  EXPECT_EQ(p.read->ReadableCount(), 1);
}

TEST(Iocp, AWriteCompletesWhenAllItsBytesAreBuffered) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe(8);
  ASSERT_EQ(port.Associate(p.write.get(), 2), 0);
  const std::string data(20, 'z');
  ASSERT_EQ(port.Write(p.write.get(), 5, data.data(), data.size()), 0);
  EXPECT_TRUE(DequeueAll(port).empty());
  char buf[8];
  ASSERT_EQ(p.read->Read(buf, 8), 8);
  EXPECT_TRUE(DequeueAll(port).empty());
  ASSERT_EQ(p.read->Read(buf, 8), 8);
  auto c = DequeueAll(port);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].result, 20);
}

TEST(Iocp, CancellationCompletesOnceWithAbortedAndLateCancelFails) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe();
  ASSERT_EQ(port.Associate(p.read.get(), 1), 0);
  char buf[4];
  ASSERT_EQ(port.Read(p.read.get(), 9, buf, sizeof(buf)), 0);
  EXPECT_EQ(port.Cancel(p.read.get(), 9), 0);
  EXPECT_EQ(port.Cancel(p.read.get(), 9), -ENOENT);
  ASSERT_EQ(p.write->Write("x", 1), 1);
  auto c = DequeueAll(port);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].result, -ECANCELED);
  EXPECT_EQ(p.read->ReadableCount(), 1);  // the cancelled read took nothing
}

TEST(Iocp, ClosingAHandleAbortsItsOperations) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe();
  ASSERT_EQ(port.Associate(p.read.get(), 1), 0);
  char a[4], b[4];
  ASSERT_EQ(port.Read(p.read.get(), 1, a, 4), 0);
  ASSERT_EQ(port.Read(p.read.get(), 2, b, 4), 0);
  p.read.reset();
  auto c = DequeueAll(port);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].result, -ECANCELED);
  EXPECT_EQ(c[1].result, -ECANCELED);
}

TEST(Iocp, MisuseIsRefusedAndNeverCompletes) {
  RandomChooser chooser(1);
  Iocp port(chooser, {});
  PipePair p = MakePipe();
  char buf[4];
  EXPECT_EQ(port.Read(p.read.get(), 1, buf, 4), -EINVAL);  // not associated
  ASSERT_EQ(port.Associate(p.read.get(), 1), 0);
  EXPECT_EQ(port.Associate(p.read.get(), 2), -EINVAL);
  ASSERT_EQ(port.Read(p.read.get(), 1, buf, 4), 0);
  EXPECT_EQ(port.Read(p.read.get(), 1, buf, 4), -EINVAL);  // overlapped id in flight
  IocpCompletion out;
  EXPECT_EQ(port.Dequeue(&out, 0), -EINVAL);
}

// Between hosts the handshake takes the link's round trip, so ConnectEx and AcceptEx complete after it.
TEST(Iocp, AcceptAndConnectCompleteAgainstTheNetwork) {
  Kernel::Options ko;
  ko.seed = 3;
  Kernel k(std::move(ko));
  Network net(k, {});
  const HostId db = net.AddHost("db", {IpAddr::Of("10.0.0.2")});
  Iocp port(k.chooser(), {});
  std::shared_ptr<StreamSocket> l, c, s;
  ASSERT_EQ(net.NewStreamSocket(db, false, &l), 0);
  ASSERT_EQ(l->Bind(SockAddr::Inet("10.0.0.2", 80)), 0);
  ASSERT_EQ(l->Listen(4), 0);
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &c), 0);
  ASSERT_EQ(port.Associate(l.get(), 1), 0);
  ASSERT_EQ(port.Associate(c.get(), 2), 0);
  ASSERT_EQ(port.Accept(l.get(), 10, &s), 0);
  ASSERT_EQ(port.Connect(c.get(), 20, SockAddr::Inet("10.0.0.2", 80)), 0);
  EXPECT_TRUE(DequeueAll(port).empty());
  bool deadlock;
  k.Poll(Milliseconds(10), false, &deadlock);
  auto done = DequeueAll(port);
  ASSERT_EQ(done.size(), 2u);
  for (const IocpCompletion& x : done) EXPECT_EQ(x.result, 0);
  ASSERT_TRUE(s);
  std::shared_ptr<StreamSocket> refused;
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &refused), 0);
  ASSERT_EQ(port.Associate(refused.get(), 3), 0);
  ASSERT_EQ(port.Connect(refused.get(), 30, SockAddr::Inet("10.0.0.2", 81)), 0);
  EXPECT_TRUE(DequeueAll(port).empty());
  k.Poll(Milliseconds(10), false, &deadlock);
  auto failed = DequeueAll(port);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].result, -ECONNREFUSED);
}

// On loopback the handshake is over inside the connect call, so the listener's pending AcceptEx and the
// ConnectEx complete there: both packets are on the port when Connect returns, with no time passing.
TEST(Iocp, OnLoopbackAcceptAndConnectCompleteInsideTheConnectCall) {
  Kernel::Options ko;
  ko.seed = 3;
  Kernel k(std::move(ko));
  Network net(k, {});
  Iocp port(k.chooser(), {});
  std::shared_ptr<StreamSocket> l, c, s;
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &l), 0);
  ASSERT_EQ(l->Bind(SockAddr::Inet("127.0.0.1", 80)), 0);
  ASSERT_EQ(l->Listen(4), 0);
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &c), 0);
  ASSERT_EQ(port.Associate(l.get(), 1), 0);
  ASSERT_EQ(port.Associate(c.get(), 2), 0);
  ASSERT_EQ(port.Accept(l.get(), 10, &s), 0);
  const Nanos start = k.clock().Now();
  ASSERT_EQ(port.Connect(c.get(), 20, SockAddr::Inet("127.0.0.1", 80)), 0);
  ASSERT_TRUE(s);
  auto done = DequeueAll(port);
  ASSERT_EQ(done.size(), 2u);
  for (const IocpCompletion& x : done) EXPECT_EQ(x.result, 0);
  // A read pending on the accepted end completes inside the client's write.
  char buf[8];
  ASSERT_EQ(port.Associate(s.get(), 4), 0);
  ASSERT_EQ(port.Read(s.get(), 40, buf, sizeof(buf)), 0);
  EXPECT_TRUE(DequeueAll(port).empty());
  ASSERT_EQ(c->Write("hi", 2), 2);
  auto read = DequeueAll(port);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].result, 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
  std::shared_ptr<StreamSocket> refused;
  ASSERT_EQ(net.NewStreamSocket(Network::kLocalHost, false, &refused), 0);
  ASSERT_EQ(port.Associate(refused.get(), 3), 0);
  ASSERT_EQ(port.Connect(refused.get(), 30, SockAddr::Inet("127.0.0.1", 81)), 0);
  auto failed = DequeueAll(port);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].result, -ECONNREFUSED);
  EXPECT_EQ(k.clock().Now(), start);
  EXPECT_FALSE(k.HasPendingEvents());
}

TEST(Iocp, SimultaneousCompletionsComeOutInChooserOrderOlderFirst) {
  std::set<std::vector<uint64_t>> orders;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    RandomChooser chooser(seed);
    Iocp port(chooser, {});
    port.Post(1, 1, 0);
    DequeueAll(port, 1);
    port.Post(2, 2, 0);
    port.Post(3, 3, 0);
    IocpCompletion first;
    ASSERT_EQ(port.Dequeue(&first, 1), 1);  // a new generation: 2 and 3 compete
    port.Post(4, 4, 0);
    std::vector<uint64_t> order{first.overlapped};
    for (const IocpCompletion& c : DequeueAll(port)) order.push_back(c.overlapped);
    EXPECT_EQ(order.back(), 4u);  // later than the leftover from the older generation
    orders.insert(order);
  }
  EXPECT_EQ(orders.size(), 2u);
}

// ---- Properties ----

struct IocpRunResult {
  std::string violation;
  std::vector<uint64_t> order;  // overlapped ids in dequeue order
};

// A random run: three pipes associated with one port; reads (zero-byte ones too) and writes started
// on them, cancellations, hang-ups and closes, plain reads and writes beside the port, and dequeues
// of random batch sizes, decoded from `ops`. At the end every description is closed and the port
// drained. Checks that every started operation completed exactly once (never one that did not start),
// that a successful cancel meant -ECANCELED, that reads returned the pipe's bytes in order, and that
// a write completed with all its bytes or an error.
IocpRunResult CheckIocpRun(uint64_t seed, const std::vector<uint8_t>& ops, IocpTestMutations mutations) {
  constexpr size_t kPipes = 3;
  IocpRunResult result;
  RandomChooser chooser(seed);
  Iocp::Options options;
  options.mutations = mutations;
  Iocp port(chooser, options);
  struct OpRef {
    size_t pipe;
    bool read;
    size_t len;
    std::string buf;  // a read's buffer, or a write's bytes
    bool cancelled = false;
    int completions = 0;
    int64_t result = 0;
  };
  std::map<uint64_t, OpRef> started;
  struct PipeRef {
    PipePair p;
    std::string read;        // bytes taken out, by completed reads and plain reads, in order
    std::vector<uint64_t> reads;  // read operations in start order
  };
  std::array<PipeRef, kPipes> pipes;
  for (size_t i = 0; i < kPipes; ++i) {
    pipes[i].p = MakePipe(16);
    port.Associate(pipes[i].p.read.get(), 2 * i);
    port.Associate(pipes[i].p.write.get(), 2 * i + 1);
  }
  auto fail = [&](const std::string& what) {
    if (result.violation.empty()) result.violation = what;
  };
  uint64_t next_ov = 1;
  uint8_t next_byte = 0;
  auto take = [&](const std::vector<IocpCompletion>& done) {
    for (const IocpCompletion& c : done) {
      result.order.push_back(c.overlapped);
      auto it = started.find(c.overlapped);
      if (it == started.end()) {
        fail("a completion for an operation never started");
        continue;
      }
      OpRef& op = it->second;
      if (++op.completions > 1) fail("an operation completed twice");
      op.result = c.result;
      if (op.cancelled && c.result != -ECANCELED) fail("a cancelled operation completed normally");
      if (c.result == -ECANCELED && !op.cancelled && pipes[op.pipe].p.read && pipes[op.pipe].p.write) {
        fail("aborted though neither cancelled nor closed");
      }
      if (op.read && c.result > 0) pipes[op.pipe].read += op.buf.substr(0, static_cast<size_t>(c.result));
      if (!op.read && c.result >= 0 && static_cast<size_t>(c.result) != op.len) fail("a write completed short");
    }
  };
  for (const uint8_t op : ops) {
    if (!result.violation.empty()) break;
    PipeRef& pr = pipes[(op >> 3) % kPipes];
    const size_t amount = static_cast<size_t>(op >> 5);  // 0..7
    switch (op & 7) {
      case 0:
      case 1: {  // start a read
        if (!pr.p.read) break;
        const uint64_t ov = next_ov++;
        OpRef& r = started[ov] = OpRef{static_cast<size_t>(&pr - pipes.data()), true, amount, std::string(amount, '\0')};
        if (port.Read(pr.p.read.get(), ov, r.buf.data(), r.len) != 0) fail("read did not start");
        break;
      }
      case 2: {  // start a write of known bytes
        if (!pr.p.write) break;
        std::string data(amount + 1, '\0');
        for (char& ch : data) ch = static_cast<char>(next_byte++);
        const uint64_t ov = next_ov++;
        started[ov] = OpRef{static_cast<size_t>(&pr - pipes.data()), false, data.size(), data};
        if (port.Write(pr.p.write.get(), ov, data.data(), data.size()) != 0) fail("write did not start");
        break;
      }
      case 3: {  // cancel some started operation
        if (started.empty()) break;
        auto it = started.begin();
        std::advance(it, static_cast<ptrdiff_t>(op >> 3) % static_cast<ptrdiff_t>(started.size()));
        PipeRef& target = pipes[it->second.pipe];
        FileDescription* d = it->second.read ? static_cast<FileDescription*>(target.p.read.get()) : target.p.write.get();
        if (d == nullptr) break;
        const int r = port.Cancel(d, it->first);
        const bool done_before = it->second.completions > 0 || std::any_of(result.order.begin(), result.order.end(),
                                                                            [&](uint64_t o) { return o == it->first; });
        if (r == 0) {
          if (done_before) fail("cancel succeeded on a completed operation");
          it->second.cancelled = true;
        }
        break;
      }
      case 4:
      case 5:
        take(DequeueAll(port, 1 + static_cast<int>(amount)));
        break;
      case 6:
        if (amount == 7) {
          pr.p.write.reset();
        } else if (amount == 6) {
          pr.p.read.reset();
        }
        break;
      default:
        take(DequeueAll(port));
        break;
    }
  }
  for (PipeRef& pr : pipes) {
    pr.p.read.reset();
    pr.p.write.reset();
  }
  take(DequeueAll(port, 1000));
  for (const auto& [ov, op] : started) {
    if (op.completions != 1) fail("operation " + std::to_string(ov) + " completed " + std::to_string(op.completions) + " times");
  }
  // Writes of at most 8 bytes to pipes of 16 go in whole or not at all, in start order: what the reads
  // returned must be a prefix of the completed writes' bytes.
  std::array<std::string, kPipes> written;
  for (const auto& [ov, op] : started) {
    if (!op.read && op.result == static_cast<int64_t>(op.len)) written[op.pipe] += op.buf;
  }
  for (size_t i = 0; i < kPipes; ++i) {
    if (pipes[i].read != written[i].substr(0, pipes[i].read.size())) fail("reads did not return the pipe's bytes in order");
  }
  return result;
}

std::string FirstViolation(IocpTestMutations m) {
  return testing::FirstViolation({.seeds = 40, .ops = 200}, [&](uint64_t seed, const std::vector<uint8_t>& ops) {
    return CheckIocpRun(seed, ops, m).violation;
  });
}

RC_GTEST_PROP(IocpProperty, EveryOverlappedOperationCompletesExactlyOnce, (uint64_t seed, std::vector<uint8_t> ops)) {
  RC_ASSERT(CheckIocpRun(seed, ops, {}).violation == "");
}

RC_GTEST_PROP(IocpProperty, SameSeedGivesSameCompletionOrder, (uint64_t seed, std::vector<uint8_t> ops)) {
  RC_ASSERT(CheckIocpRun(seed, ops, {}).order == CheckIocpRun(seed, ops, {}).order);
}

TEST(IocpProperty, HealthyRunsPassOverManySeeds) { EXPECT_EQ(FirstViolation({}), ""); }

TEST(IocpProperty, LosingCompletionsIsCaught) {
  const std::string v = FirstViolation(With(&IocpTestMutations::lose_every_7th_completion));
  EXPECT_NE(v.find("0 times"), std::string::npos) << v;
}

TEST(IocpProperty, DuplicatingCompletionsIsCaught) {
  const std::string v = FirstViolation(With(&IocpTestMutations::duplicate_every_5th_completion));
  EXPECT_NE(v.find("twice"), std::string::npos) << v;
}

TEST(IocpProperty, CancelThatAlsoCompletesIsCaught) {
  const std::string v = FirstViolation(With(&IocpTestMutations::cancel_also_completes));
  EXPECT_FALSE(v.empty());
}

TEST(IocpProperty, OrderIgnoringTheSeedIsCaught) {
  bool differs = false;
  for (uint64_t seed = 0; seed < 20 && !differs; ++seed) {
    const auto ops = RandomOps(seed, 200);
    differs = CheckIocpRun(seed, ops, With(&IocpTestMutations::order_ignores_chooser)).order !=
              CheckIocpRun(seed, ops, With(&IocpTestMutations::order_ignores_chooser)).order;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace loopsim
