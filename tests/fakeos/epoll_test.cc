// Tests of the epoll model, and the check of its random runs against a reference of what must be
// reported (readiness_runs.h), which readiness_models_test.cc runs under the property suites.
#include "fakeos/epoll.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "fakeos/pipe.h"
#include "tests/fakeos/pipe_run.h"
#include "tests/fakeos/readiness_runs.h"
#include "tests/fakeos/test_description.h"
#include "tests/support/mutation.h"

namespace loopsim {
namespace {

std::vector<EpollEvent> WaitAll(Epoll& ep, int maxevents = 64) {
  std::vector<EpollEvent> out(static_cast<size_t>(maxevents));
  const int n = ep.Wait(out.data(), maxevents);
  EXPECT_GE(n, 0);
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

int Add(Epoll& ep, int fd, FileDescription& d, uint32_t events) {
  EpollEvent ev{events, static_cast<uint64_t>(fd)};
  return ep.Ctl(EPOLL_CTL_ADD, fd, &d, &ev);
}

// An epoll instance watching the read end of a pipe as fd 3, for `events`.
struct PipeEpoll {
  explicit PipeEpoll(uint32_t events) { EXPECT_EQ(Add(ep, 3, *p.read, events), 0); }
  RandomChooser chooser{1};
  Epoll ep{chooser, {}};
  PipePair p = MakePipe();
};

TEST(Epoll, LevelTriggeredReadinessRepeatsUntilDrained) {
  PipeEpoll pe(EPOLLIN);
  auto& [chooser, ep, p] = pe;
  EXPECT_TRUE(WaitAll(ep).empty());
  ASSERT_EQ(p.write->Write("abc", 3), 3);
  for (int i = 0; i < 3; ++i) {
    auto evs = WaitAll(ep);
    ASSERT_EQ(evs.size(), 1u);
    EXPECT_EQ(evs[0].events, static_cast<uint32_t>(EPOLLIN));
    EXPECT_EQ(evs[0].data, 3u);
  }
  char buf[8];
  ASSERT_EQ(p.read->Read(buf, sizeof(buf)), 3);
  EXPECT_TRUE(WaitAll(ep).empty());
  EXPECT_FALSE(ep.HasReady());
}

TEST(Epoll, EdgeTriggeredReportsEachWakeOnce) {
  PipeEpoll pe(EPOLLIN | EPOLLET);
  auto& [chooser, ep, p] = pe;
  ASSERT_EQ(p.write->Write("a", 1), 1);
  EXPECT_EQ(WaitAll(ep).size(), 1u);
  EXPECT_TRUE(WaitAll(ep).empty());  // still readable, but no new edge
  // New data on an already readable pipe is a new wake, as on Linux.
  ASSERT_EQ(p.write->Write("b", 1), 1);
  EXPECT_EQ(WaitAll(ep).size(), 1u);
  EXPECT_TRUE(WaitAll(ep).empty());
}

TEST(Epoll, OneshotDisarmsUntilModified) {
  PipeEpoll pe(EPOLLIN | EPOLLONESHOT);
  auto& [chooser, ep, p] = pe;
  ASSERT_EQ(p.write->Write("a", 1), 1);
  EXPECT_EQ(WaitAll(ep).size(), 1u);
  ASSERT_EQ(p.write->Write("b", 1), 1);
  EXPECT_TRUE(WaitAll(ep).empty());
  p.write.reset();  // even a hang-up is not reported while disarmed
  EXPECT_TRUE(WaitAll(ep).empty());
  EpollEvent ev{EPOLLIN | EPOLLONESHOT, 3};
  ASSERT_EQ(ep.Ctl(EPOLL_CTL_MOD, 3, p.read.get(), &ev), 0);
  auto evs = WaitAll(ep);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].events, static_cast<uint32_t>(EPOLLIN | EPOLLHUP));
}

TEST(Epoll, MaxeventsLeavesTheRestReadyForTheNextWait) {
  RandomChooser chooser(7);
  Epoll ep(chooser, {});
  std::vector<PipePair> pipes;
  for (int i = 0; i < 5; ++i) {
    pipes.push_back(MakePipe());
    ASSERT_EQ(Add(ep, 10 + i, *pipes.back().read, EPOLLIN | EPOLLET), 0);
    ASSERT_EQ(pipes.back().write->Write("x", 1), 1);
  }
  std::set<uint64_t> seen;
  for (size_t want : {2u, 2u, 1u, 0u}) {
    auto evs = WaitAll(ep, 2);
    ASSERT_EQ(evs.size(), want);
    for (const EpollEvent& e : evs) EXPECT_TRUE(seen.insert(e.data).second);
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(Epoll, ClosedDescriptionIsRemovedSilently) {
  RandomChooser chooser(1);
  int wakes = 0;
  Epoll::Options options;
  options.on_ready = [&] { ++wakes; };
  Epoll ep(chooser, options);
  PipePair p = MakePipe();
  ASSERT_EQ(Add(ep, 3, *p.read, EPOLLIN), 0);
  ASSERT_EQ(p.write->Write("a", 1), 1);
  EXPECT_EQ(wakes, 1);
  p.read.reset();
  EXPECT_EQ(ep.interest_count(), 0u);
  EXPECT_TRUE(WaitAll(ep).empty());
}

TEST(Epoll, CtlErrorsAreLinuxs) {
  RandomChooser chooser(1);
  Epoll ep(chooser, {});
  TestDescription d;
  EpollEvent ev{EPOLLIN, 0};
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_MOD, 3, &d, &ev), -ENOENT);
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_DEL, 3, &d, nullptr), -ENOENT);
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_ADD, 3, nullptr, &ev), -EBADF);
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_ADD, 3, &d, &ev), 0);
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_ADD, 3, &d, &ev), -EEXIST);
  EXPECT_EQ(ep.Ctl(42, 3, &d, &ev), -EINVAL);
  EpollEvent out;
  EXPECT_EQ(ep.Wait(&out, 0), -EINVAL);
  EXPECT_EQ(ep.Ctl(EPOLL_CTL_DEL, 3, &d, nullptr), 0);
  EXPECT_EQ(d.watcher_count(), 0u);
}

TEST(Epoll, ErrAndHupAreAlwaysReportedRdhupOnlyWhenAsked) {
  RandomChooser chooser(1);
  Epoll ep(chooser, {});
  TestDescription a, b;
  ASSERT_EQ(Add(ep, 3, a, EPOLLOUT), 0);
  ASSERT_EQ(Add(ep, 4, b, EPOLLIN | EPOLLRDHUP), 0);
  a.Raise(kPollErr | kPollRdHup);
  b.Raise(kPollIn | kPollRdHup);
  auto evs = WaitAll(ep);
  ASSERT_EQ(evs.size(), 2u);
  for (const EpollEvent& e : evs) {
    const uint32_t want = e.data == 3 ? static_cast<uint32_t>(EPOLLERR) : static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP);
    EXPECT_EQ(e.events, want);
  }
}

TEST(Epoll, ReadyOrderComesFromTheChooser) {
  std::set<std::vector<uint64_t>> orders;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    RandomChooser chooser(seed);
    Epoll ep(chooser, {});
    std::array<TestDescription, 3> d;
    for (int i = 0; i < 3; ++i) ASSERT_EQ(Add(ep, i, d[static_cast<size_t>(i)], EPOLLIN), 0);
    for (auto& x : d) x.Raise(kPollIn);
    std::vector<uint64_t> order;
    for (const EpollEvent& e : WaitAll(ep)) order.push_back(e.data);
    orders.insert(order);
    EXPECT_EQ(chooser.log().size(), 2u);  // 3 then 2 alternatives; the last one is no choice
  }
  EXPECT_EQ(orders.size(), 6u);
}

}  // namespace

// ---- Properties ----

// A random run: four pipes (capacity 16) whose read ends are registered level-triggered, edge-triggered
// or one-shot, and a sequence of writes, reads, hang-ups, closes, MODs and Waits decoded from `ops`. A
// reference model of what Linux must report checks every Wait. Returns "" or the first violation. The
// descriptors each Wait reported are appended to *trace.
std::string CheckEpollRun(uint64_t seed, const std::vector<uint8_t>& ops, const Epoll::TestMutations& mutations,
                          testing::ReportTrace* trace) {
  enum Mode { kLevel, kEdge, kOneshot };
  struct Ref {
    PipePair pipe;
    Mode mode = kLevel;
    bool pending = false;  // edge-triggered: a wake not yet reported (or found drained)
    bool armed = true;     // one-shot: not yet reported since the last MOD
  };
  using Run = PipeRun<Ref>;
  RandomChooser chooser(seed);
  Epoll::Options options;
  options.mutations = mutations;
  Epoll ep(chooser, options);
  Run run;
  auto flags = [](Mode m) -> uint32_t {
    constexpr uint32_t kIn = EPOLLIN, kEt = EPOLLET, kOneshotBit = EPOLLONESHOT;
    return kIn | (m == kEdge ? kEt : 0u) | (m == kOneshot ? kOneshotBit : 0u);
  };
  for (size_t i = 0; i < Run::kPipes; ++i) {
    Ref& r = run.refs[i];
    r.mode = static_cast<Mode>(i % 3);
    EpollEvent ev{flags(r.mode), i};
    if (ep.Ctl(EPOLL_CTL_ADD, static_cast<int>(i), r.pipe.read.get(), &ev) != 0) return "ADD failed";
  }
  run.Run(ops, [&](const Run::Op& op) {
    Ref& r = run.refs[op.pipe()];
    char buf[1];
    switch (op.kind()) {
      case 2:  // read one byte
        if (r.pipe.read) r.pipe.read->Read(buf, 1);
        break;
      case 4:  // MOD to another mode
        if (r.pipe.read) {
          r.mode = static_cast<Mode>(op.param() % 3);
          EpollEvent ev{flags(r.mode), op.pipe()};
          if (ep.Ctl(EPOLL_CTL_MOD, static_cast<int>(op.pipe()), r.pipe.read.get(), &ev) != 0) {
            run.Fail(op.step, "MOD failed");
          }
          r.armed = true;
          r.pending = (r.pipe.read->Poll() & (kPollIn | kPollHup)) != 0;
        }
        break;
      case 5:  // hang up the write end
        if (r.pipe.read && r.pipe.write) {
          r.pipe.write.reset();
          r.pending = true;
        }
        break;
      case 6:  // close the read end: the registration must vanish
        r.pipe.read.reset();
        break;
      default: {  // 3, 7: Wait
        const int maxevents = op.kind() == 7 ? 64 : 1 + op.param() % 4;
        auto evs = WaitAll(ep, maxevents);
        testing::AppendCall(trace, evs, &EpollEvent::data);
        std::set<uint64_t> reported;
        for (const EpollEvent& e : evs) {
          if (!reported.insert(e.data).second) run.Fail(op.step, "fd reported twice in one Wait");
          if (e.data >= Run::kPipes) {
            run.Fail(op.step, "unknown data");
            continue;
          }
          Ref& x = run.refs[e.data];
          if (!x.pipe.read) {
            run.Fail(op.step, "closed descriptor reported");
            continue;
          }
          const uint32_t level = x.pipe.read->Poll();
          constexpr uint32_t kIn = EPOLLIN, kHup = EPOLLHUP;
          const uint32_t want = ((level & kPollIn) ? kIn : 0u) | ((level & kPollHup) ? kHup : 0u);
          if (e.events != want || want == 0) run.Fail(op.step, "reported bits differ from the level");
          if (x.mode == kEdge && !x.pending) run.Fail(op.step, "edge-triggered reported without a new edge");
          if (x.mode == kOneshot && !x.armed) run.Fail(op.step, "disarmed one-shot reported");
          x.pending = false;
          if (x.mode == kOneshot) x.armed = false;
        }
        const bool room = evs.size() < static_cast<size_t>(maxevents);
        run.CheckNoneLeftOut(op.step, reported, room, "ready descriptor", [](const Ref& x, bool ready) {
          return x.mode == kLevel ? ready : x.mode == kEdge ? (ready && x.pending) : (ready && x.armed);
        });
        break;
      }
    }
  });
  return run.violation();
}

}  // namespace loopsim
