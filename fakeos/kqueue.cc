// See kqueue.h.
#include "fakeos/kqueue.h"

#include <algorithm>
#include <cerrno>

#include "fakeos/base/check.h"

namespace loopsim {

namespace {
uint32_t InterestOf(KFilter filter) {
  return filter == KFilter::kRead ? kPollIn | kPollRdHup | kPollHup | kPollErr : kPollOut | kPollHup | kPollErr;
}
}  // namespace

struct Kqueue::Knote final : Registrations<Key, Knote>::Registration {
  uint16_t flags = 0;  // EV_ONESHOT and EV_CLEAR as given
  uint64_t udata = 0;
  bool enabled = true;

  void OnWake(FileDescription&, uint32_t bits) override {
    if (enabled && (bits & InterestOf(key.second))) registrations->Ready(*this);
  }
};

Kqueue::Kqueue(Chooser& chooser, Options options)
    : options_(std::move(options)), knotes_(chooser, options_.on_ready, options_.mutations.order_ignores_chooser) {
  LS_CHECK(options_.lookup != nullptr);
}

bool Kqueue::Evaluate(const Knote& kn, KEvent* out) const {
  const uint32_t level = kn.desc->Poll();
  KEvent ev;
  ev.ident = kn.key.first;
  ev.filter = kn.key.second;
  ev.udata = kn.udata;
  ev.flags = kn.flags;
  if (kn.key.second == KFilter::kRead) {
    if ((level & (kPollIn | kPollRdHup | kPollHup | kPollErr)) == 0) return false;
    ev.data = kn.desc->ReadableCount();
    if (level & (kPollRdHup | kPollHup | kPollErr)) ev.flags |= kEvEof;
  } else {
    if ((level & kPollOut) == 0) return false;
    ev.data = kn.desc->WritableCount();
    if (level & (kPollHup | kPollErr)) ev.flags |= kEvEof;
  }
  if (options_.mutations.data_off_by_one) ++ev.data;
  *out = ev;
  return true;
}

void Kqueue::PruneQueue() {
  KEvent ignored;
  knotes_.Prune([&](const Knote& kn) { return kn.enabled && Evaluate(kn, &ignored); });
}

bool Kqueue::HasReady() {
  PruneQueue();
  return !knotes_.none_ready();
}

int Kqueue::Apply(const KEvent& change) {
  if (change.filter != KFilter::kRead && change.filter != KFilter::kWrite) return -EINVAL;
  const Key key{change.ident, change.filter};
  Knote* found = knotes_.Find(key);
  if (change.flags & kEvAdd) {
    FileDescription* d = options_.lookup(change.ident);
    if (d == nullptr) return -EBADF;
    Knote& kn = found != nullptr ? *found : knotes_.Add(key, d);
    kn.flags = change.flags & (kEvOneshot | kEvClear);
    kn.udata = change.udata;
    kn.enabled = (change.flags & kEvDisable) == 0;
    KEvent ignored;
    if (kn.enabled && Evaluate(kn, &ignored)) knotes_.Ready(kn);
    return 0;
  }
  if (found == nullptr) return -ENOENT;
  Knote& kn = *found;
  if (change.flags & kEvDelete) {
    knotes_.Remove(kn);
    return 0;
  }
  if (change.flags & kEvDisable) {
    kn.enabled = false;
    knotes_.Unready(kn);
  }
  if (change.flags & kEvEnable) {
    kn.enabled = true;
    KEvent ignored;
    if (Evaluate(kn, &ignored)) knotes_.Ready(kn);
  }
  return 0;
}

int Kqueue::Kevent(const KEvent* changes, int nchanges, KEvent* events, int nevents) {
  if (nchanges < 0 || nevents < 0) return -EINVAL;
  int n = 0;
  for (int i = 0; i < nchanges; ++i) {
    const int r = Apply(changes[i]);
    if (r == 0 && (changes[i].flags & kEvReceipt) == 0) continue;
    // A failed change (or a receipt) becomes an EV_ERROR event while there is room, as on the BSDs.
    if (n >= nevents) {
      if (r < 0) return r;
      continue;
    }
    KEvent& e = events[n++];
    e = changes[i];
    e.flags = kEvError;
    e.data = -r;
  }
  const TestMutations& m = options_.mutations;
  PruneQueue();
  std::vector<Knote*> requeue;
  while (n < nevents && !knotes_.none_ready()) {
    Knote* kn = &knotes_.TakeNext();
    KEvent ev;
    LS_CHECK(Evaluate(*kn, &ev));  // pruned above, and nothing runs between
    if (!(m.drop_every_7th_event && ++reported_ % 7 == 0)) events[n++] = ev;
    if ((kn->flags & kEvOneshot) && !m.oneshot_stays) {
      knotes_.Remove(*kn);
    } else if ((kn->flags & kEvClear) ? m.clear_rearms : !m.level_reports_once) {
      requeue.push_back(kn);
    }
  }
  for (Knote* kn : requeue) knotes_.Ready(*kn);
  return n;
}

}  // namespace loopsim
