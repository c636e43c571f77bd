// See kqueue.h.
#include "fakeos/kqueue.h"

#include <algorithm>
#include <cerrno>

#include "fakeos/base/check.h"

namespace loopsim {

namespace {
uint32_t InterestOf(int16_t filter) {
  return filter == kEvFiltRead ? kPollIn | kPollRdHup | kPollHup | kPollErr : kPollOut | kPollHup | kPollErr;
}
}  // namespace

struct Kqueue::Knote final : FileDescription::Watcher {
  Kqueue* kq = nullptr;
  Key key;
  FileDescription* desc = nullptr;
  uint16_t flags = 0;  // EV_ONESHOT and EV_CLEAR as given
  uint64_t udata = 0;
  bool enabled = true;
  bool queued = false;  // on the ready list

  void OnWake(FileDescription&, uint32_t bits) override {
    if (enabled && (bits & InterestOf(key.second))) kq->queue_.Add(*this);
  }
  void OnRelease(FileDescription&) override {
    desc = nullptr;
    kq->Remove(*this);
  }
};

Kqueue::Kqueue(Chooser& chooser, Options options)
    : options_(std::move(options)), queue_(chooser, options_.on_ready, options_.mutations.order_ignores_chooser) {
  LS_CHECK(options_.lookup != nullptr);
}

Kqueue::~Kqueue() {
  for (auto& [key, kn] : knotes_) kn->desc->RemoveWatcher(kn.get());
}

bool Kqueue::Evaluate(const Knote& kn, KEvent* out) const {
  const uint32_t level = kn.desc->Poll();
  KEvent ev;
  ev.ident = kn.key.first;
  ev.filter = kn.key.second;
  ev.udata = kn.udata;
  ev.flags = kn.flags;
  if (kn.key.second == kEvFiltRead) {
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

void Kqueue::Remove(Knote& kn) {
  queue_.Remove(kn);
  if (kn.desc) kn.desc->RemoveWatcher(&kn);
  LS_CHECK(knotes_.erase(Key(kn.key)) == 1);
}

void Kqueue::PruneQueue() {
  KEvent ignored;
  queue_.Prune([&](const Knote& kn) { return kn.enabled && Evaluate(kn, &ignored); });
}

bool Kqueue::HasReady() {
  PruneQueue();
  return !queue_.empty();
}

int Kqueue::Apply(const KEvent& change) {
  if (change.filter != kEvFiltRead && change.filter != kEvFiltWrite) return -EINVAL;
  const Key key{change.ident, change.filter};
  auto it = knotes_.find(key);
  if (change.flags & kEvAdd) {
    FileDescription* d = options_.lookup(change.ident);
    if (d == nullptr) return -EBADF;
    if (it == knotes_.end()) {
      auto kn = std::make_unique<Knote>();
      kn->kq = this;
      kn->key = key;
      kn->desc = d;
      d->AddWatcher(kn.get());
      it = knotes_.emplace(key, std::move(kn)).first;
    }
    Knote& kn = *it->second;
    kn.flags = change.flags & (kEvOneshot | kEvClear);
    kn.udata = change.udata;
    kn.enabled = (change.flags & kEvDisable) == 0;
    KEvent ignored;
    if (kn.enabled && Evaluate(kn, &ignored)) queue_.Add(kn);
    return 0;
  }
  if (it == knotes_.end()) return -ENOENT;
  Knote& kn = *it->second;
  if (change.flags & kEvDelete) {
    Remove(kn);
    return 0;
  }
  if (change.flags & kEvDisable) {
    kn.enabled = false;
    queue_.Remove(kn);
  }
  if (change.flags & kEvEnable) {
    kn.enabled = true;
    KEvent ignored;
    if (Evaluate(kn, &ignored)) queue_.Add(kn);
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
  while (n < nevents && !queue_.empty()) {
    Knote* kn = &queue_.TakeNext();
    KEvent ev;
    LS_CHECK(Evaluate(*kn, &ev));  // pruned above, and nothing runs between
    if (!(m.drop_every_7th_event && ++reported_ % 7 == 0)) events[n++] = ev;
    if ((kn->flags & kEvOneshot) && !m.oneshot_stays) {
      Remove(*kn);
    } else if ((kn->flags & kEvClear) ? m.clear_rearms : !m.level_reports_once) {
      requeue.push_back(kn);
    }
  }
  for (Knote* kn : requeue) queue_.Add(*kn);
  return n;
}

}  // namespace loopsim
