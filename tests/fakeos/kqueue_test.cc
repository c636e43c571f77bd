// Tests of the kqueue model, and the check of its random runs against a reference of what must be
// reported (readiness_runs.h), which readiness_models_test.cc runs under the property suites.
#include "fakeos/kqueue.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>

#include "fakeos/pipe.h"
#include "tests/fakeos/pipe_run.h"
#include "tests/fakeos/readiness_runs.h"
#include "tests/fakeos/test_description.h"
#include "tests/support/mutation.h"

namespace loopsim {
namespace {

// A descriptor table for the tests: ident -> description.
struct Fds {
  std::map<uint64_t, FileDescription*> table;
  Kqueue::Options Options() {
    Kqueue::Options o;
    o.lookup = [this](uint64_t ident) -> FileDescription* {
      auto it = table.find(ident);
      return it == table.end() ? nullptr : it->second;
    };
    return o;
  }
};

// A kqueue that sees one pipe, its read end as descriptor 3 (the table may change during a test).
struct PipeKqueue {
  RandomChooser chooser{1};
  Fds fds;
  PipePair p = MakePipe();
  Kqueue kq{chooser, fds.Options()};
  PipeKqueue() { fds.table[3] = p.read.get(); }
};

KEvent Change(uint64_t ident, KFilter filter, uint16_t flags, uint64_t udata = 0) {
  KEvent e;
  e.ident = ident;
  e.filter = filter;
  e.flags = flags;
  e.udata = udata;
  return e;
}

std::vector<KEvent> Collect(Kqueue& kq, std::vector<KEvent> changes = {}, int nevents = 16) {
  std::vector<KEvent> out(static_cast<size_t>(nevents));
  const int n = kq.Kevent(changes.data(), static_cast<int>(changes.size()), out.data(), nevents);
  EXPECT_GE(n, 0);
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

TEST(Kqueue, ChangesAndEventsInOneCallWithDataCounts) {
  RandomChooser chooser(1);
  Fds fds;
  PipePair p = MakePipe();
  fds.table[5] = p.read.get();
  fds.table[6] = p.write.get();
  Kqueue kq(chooser, fds.Options());
  ASSERT_EQ(p.write->Write("abc", 3), 3);
  auto evs = Collect(kq, {Change(5, KFilter::kRead, kEvAdd, 55), Change(6, KFilter::kWrite, kEvAdd, 66)});
  ASSERT_EQ(evs.size(), 2u);
  for (const KEvent& e : evs) {
    if (e.filter == KFilter::kRead) {
      EXPECT_EQ(e.data, 3);
      EXPECT_EQ(e.udata, 55u);
    } else {
      EXPECT_EQ(e.data, 64 * 1024 - 3);
    }
  }
}

TEST(Kqueue, LevelTriggeredRepeatsClearOnlyAfterAWakeOneshotDeletes) {
  RandomChooser chooser(1);
  Fds fds;
  std::array<PipePair, 3> p = {MakePipe(), MakePipe(), MakePipe()};
  for (uint64_t i = 0; i < 3; ++i) fds.table[i] = p[i].read.get();
  Kqueue kq(chooser, fds.Options());
  Collect(kq, {Change(0, KFilter::kRead, kEvAdd), Change(1, KFilter::kRead, kEvAdd | kEvClear),
               Change(2, KFilter::kRead, kEvAdd | kEvOneshot)});
  for (auto& x : p) ASSERT_EQ(x.write->Write("x", 1), 1);
  EXPECT_EQ(Collect(kq).size(), 3u);
  auto second = Collect(kq);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].ident, 0u);
  EXPECT_EQ(kq.knote_count(), 2u);
  ASSERT_EQ(p[1].write->Write("y", 1), 1);
  auto third = Collect(kq);
  EXPECT_EQ(third.size(), 2u);
  for (const KEvent& e : third) {
    if (e.ident == 1) {
      EXPECT_EQ(e.data, 2);  // data counts everything unread
    }
  }
}

TEST(Kqueue, DisableSilencesAndEnableRestores) {
  PipeKqueue pk;
  auto& [chooser, fds, p, kq] = pk;
  ASSERT_EQ(p.write->Write("x", 1), 1);
  EXPECT_EQ(Collect(kq, {Change(3, KFilter::kRead, kEvAdd | kEvDisable)}).size(), 0u);
  EXPECT_EQ(Collect(kq, {Change(3, KFilter::kRead, kEvEnable)}).size(), 1u);
  EXPECT_EQ(Collect(kq, {Change(3, KFilter::kRead, kEvDisable)}).size(), 0u);
}

TEST(Kqueue, EofIsFlaggedWhenTheWriterHangsUp) {
  PipeKqueue pk;
  auto& [chooser, fds, p, kq] = pk;
  Collect(kq, {Change(3, KFilter::kRead, kEvAdd)});
  p.write.reset();
  auto evs = Collect(kq);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_TRUE(evs[0].flags & kEvEof);
  EXPECT_EQ(evs[0].data, 0);
}

TEST(Kqueue, FailedChangesBecomeErrorEventsOrFailTheCall) {
  RandomChooser chooser(1);
  Fds fds;
  TestDescription d;
  fds.table[3] = &d;
  Kqueue kq(chooser, fds.Options());
  auto evs = Collect(kq, {Change(9, KFilter::kRead, kEvAdd), Change(3, KFilter::kRead, kEvDelete),
                          Change(3, static_cast<KFilter>(7), kEvAdd), Change(3, KFilter::kRead, kEvAdd | kEvReceipt)});
  ASSERT_EQ(evs.size(), 4u);
  EXPECT_EQ(evs[0].flags, kEvError);
  EXPECT_EQ(evs[0].data, EBADF);
  EXPECT_EQ(evs[1].data, ENOENT);
  EXPECT_EQ(evs[2].data, EINVAL);
  EXPECT_EQ(evs[3].data, 0);
  KEvent change = Change(4, KFilter::kWrite, kEvDelete);
  EXPECT_EQ(kq.Kevent(&change, 1, nullptr, 0), -ENOENT);
}

TEST(Kqueue, ClosingADescriptionDeletesItsKnotes) {
  PipeKqueue pk;
  auto& [chooser, fds, p, kq] = pk;
  Collect(kq, {Change(3, KFilter::kRead, kEvAdd)});
  ASSERT_EQ(p.write->Write("x", 1), 1);
  fds.table.erase(3);
  p.read.reset();
  EXPECT_EQ(kq.knote_count(), 0u);
  EXPECT_TRUE(Collect(kq).empty());
}

}  // namespace

// ---- Properties ----

// A random run like the epoll one: four pipes whose read ends carry a read knote that is level-
// triggered, EV_CLEAR or EV_ONESHOT, under writes, reads, hang-ups, closes, re-adds, disables and
// kevent calls decoded from `ops`, checked against a reference of what must be reported.
// The idents each call reported are appended to *trace.
std::string CheckKqueueRun(uint64_t seed, const std::vector<uint8_t>& ops, const KqueueTestMutations& mutations,
                           testing::ReportTrace* trace) {
  enum Mode { kLevel, kClear, kOneshot };
  struct Ref {
    PipePair pipe;
    Mode mode = kLevel;
    bool exists = true;  // the knote exists (one-shot ones vanish once reported)
    bool enabled = true;
    bool pending = true;  // EV_CLEAR: a wake not yet reported
  };
  using Run = PipeRun<Ref>;
  RandomChooser chooser(seed);
  Fds fds;
  Kqueue::Options options = fds.Options();
  options.mutations = mutations;
  Kqueue kq(chooser, options);
  Run run;
  auto mode_flags = [](Mode m) -> uint16_t { return m == kClear ? kEvClear : m == kOneshot ? kEvOneshot : 0; };
  for (uint64_t i = 0; i < Run::kPipes; ++i) {
    Ref& r = run.refs[i];
    r.mode = static_cast<Mode>(i % 3);
    fds.table[i] = r.pipe.read.get();
    KEvent add = Change(i, KFilter::kRead, static_cast<uint16_t>(kEvAdd | mode_flags(r.mode)), i);
    if (kq.Kevent(&add, 1, nullptr, 0) != 0) return "add failed";
  }
  auto fires = [](const Ref& r) { return r.pipe.read && (r.pipe.read->Poll() & (kPollIn | kPollHup)); };
  run.Run(ops, [&](const Run::Op& op) {
    const uint64_t idx = op.pipe();
    Ref& r = run.refs[idx];
    std::vector<KEvent> changes;
    switch (op.kind()) {
      case 2:
        if (r.pipe.read && r.pipe.write) {
          r.pipe.write.reset();
          r.pending = true;
        } else if (r.pipe.read) {
          fds.table.erase(idx);
          r.pipe.read.reset();
          r.exists = false;
        }
        break;
      case 3:  // re-add with a new mode: enabled, and the state is looked at afresh
        if (r.pipe.read) {
          r.mode = static_cast<Mode>(op.param() % 3);
          changes.push_back(Change(idx, KFilter::kRead, static_cast<uint16_t>(kEvAdd | mode_flags(r.mode)), idx));
          r.exists = r.enabled = r.pending = true;
        }
        [[fallthrough]];
      case 4:  // toggle enable, then fall into a kevent call
        if (op.kind() == 4 && r.exists && r.pipe.read) {
          changes.push_back(Change(idx, KFilter::kRead, r.enabled ? kEvDisable : kEvEnable));
          r.enabled = !r.enabled;
          if (r.enabled) r.pending = true;
        }
        [[fallthrough]];
      default: {  // 5, 6, 7: kevent
        const int nevents = op.kind() == 7 ? 16 : 1 + op.param() % 4;
        auto evs = Collect(kq, changes, nevents);
        testing::AppendCall(trace, evs, &KEvent::ident);
        std::set<uint64_t> reported;
        for (const KEvent& e : evs) {
          if (e.flags & kEvError) {
            run.Fail(op.step, "a valid change failed");
            continue;
          }
          if (!reported.insert(e.ident).second) run.Fail(op.step, "knote reported twice in one call");
          if (e.ident >= Run::kPipes) {
            run.Fail(op.step, "unknown ident");
            continue;
          }
          Ref& x = run.refs[e.ident];
          if (!x.exists || !x.pipe.read) {
            run.Fail(op.step, "a deleted knote reported");
            continue;
          }
          if (!x.enabled) run.Fail(op.step, "a disabled knote reported");
          if (!fires(x)) run.Fail(op.step, "reported while not firing");
          if (e.data != x.pipe.read->ReadableCount()) run.Fail(op.step, "data is not the readable byte count");
          if (x.mode == kClear && !x.pending) run.Fail(op.step, "EV_CLEAR reported without a new wake");
          x.pending = false;
          if (x.mode == kOneshot) x.exists = false;
        }
        const bool room = evs.size() < static_cast<size_t>(nevents);
        run.CheckNoneLeftOut(op.step, reported, room, "firing knote", [](const Ref& x, bool ready) {
          return x.exists && x.enabled && ready && (x.mode != kClear || x.pending);
        });
        break;
      }
    }
  });
  return run.violation();
}

}  // namespace loopsim
