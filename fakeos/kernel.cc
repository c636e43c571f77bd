// See kernel.h.
#include "fakeos/kernel.h"

#include <algorithm>
#include <cstring>

#include "fakeos/base/check.h"

namespace loopsim {

Kernel::Kernel(Options options)
    : seed_(options.seed),
      chooser_(options.chooser ? std::move(options.chooser) : std::make_unique<RandomChooser>(options.seed)),
      faults_(std::in_place, chooser_, options.faults),
      host_(std::move(options.host)),
      vfs_(options.vfs, [this] { return clock_.Wall(); }),
      pool_(*this, options.thread_pool_size),
      entropy_(StreamSeed(options.seed, Stream::kEntropy)),
      net_(std::make_unique<Network>(*this, WithFaults(options.net, &*faults_))) {
  for (auto& [name, addresses] : options.hosts) {
    if (name != host_.hostname) {
      net_->AddHost(name, std::move(addresses));
      continue;
    }
    // The program's own host, given addresses besides loopback (reachable from the other hosts).
    for (const IpAddr& a : addresses) {
      net_->AddLocalAddress(a);
      net_->dns().Add(name, a);
    }
  }
}

Network::Options Kernel::WithFaults(Network::Options options, Faults* faults) {
  options.faults = faults;
  return options;
}

void Kernel::Reseed(uint64_t seed, std::unique_ptr<Chooser> chooser, const FaultProfile& faults) {
  LS_CHECK_MSG(events_.empty(), "the kernel was reseeded with events in flight");
  seed_ = seed;
  faults_.reset();
  chooser_.Reset(chooser ? std::move(chooser) : std::make_unique<RandomChooser>(seed));
  faults_.emplace(chooser_, faults);
  entropy_ = Prng(StreamSeed(seed, Stream::kEntropy));
}

void Kernel::FreezeChoices() {
  faults_.reset();
  chooser_.Reset(std::make_unique<PlainChooser>());
  faults_.emplace(chooser_, FaultProfile::None());
}

SourceId Kernel::NewSource() {
  const SourceId id = next_source_++;
  sources_[id] = false;
  return id;
}

void Kernel::CloseSource(SourceId id) {
  LS_CHECK(sources_.erase(id) == 1);
  std::erase(ready_order_, id);
}

void Kernel::Signal(SourceId id) {
  auto it = sources_.find(id);
  LS_CHECK(it != sources_.end());
  if (it->second) return;  // already ready: signals coalesce, as on an eventfd
  it->second = true;
  ready_order_.push_back(id);
}

void Kernel::At(Nanos when, std::function<void()> fn) {
  LS_CHECK(when >= clock_.Now());
  events_.emplace(std::make_pair(when.ns, event_seq_++), Event{std::move(fn)});
}

void Kernel::RunDueEvents() {
  while (!events_.empty() && events_.begin()->first.first <= clock_.Now().ns) {
    Event e = std::move(events_.begin()->second);
    events_.erase(events_.begin());
    LS_CHECK(!in_event_);
    in_event_ = true;
    e.fn();
    in_event_ = false;
  }
}

std::vector<SourceId> Kernel::TakeReady() {
  std::vector<SourceId> pending = std::move(ready_order_);
  ready_order_.clear();
  return Deliver(std::move(pending));
}

std::vector<SourceId> Kernel::Deliver(std::vector<SourceId> pending) {
  // Deliver in an order the chooser picks: at each position, which of the remaining ready sources.
  std::vector<SourceId> out;
  out.reserve(pending.size());
  while (!pending.empty()) {
    const size_t pick = chooser_.Choose(Site::kReadyOrder, pending.size());
    out.push_back(pending[pick]);
    pending.erase(pending.begin() + static_cast<ptrdiff_t>(pick));
  }
  for (SourceId id : out) sources_[id] = false;
  return out;
}

bool Kernel::IsReady(SourceId id) const {
  const auto it = sources_.find(id);
  return it != sources_.end() && it->second;
}

std::optional<Nanos> Kernel::NextEventTime() const {
  if (events_.empty()) return std::nullopt;
  return Nanos{events_.begin()->first.first};
}

std::vector<SourceId> Kernel::TakeReadyAmong(const std::vector<SourceId>& among) {
  std::vector<SourceId> pending;
  std::vector<SourceId> others;
  for (SourceId id : ready_order_) {
    (std::find(among.begin(), among.end(), id) != among.end() ? pending : others).push_back(id);
  }
  ready_order_ = std::move(others);
  return Deliver(std::move(pending));
}

std::vector<SourceId> Kernel::Poll(Nanos timeout, bool wait_forever, bool* deadlock) {
  *deadlock = false;
  RunDueEvents();
  if (!ready_order_.empty() || (!wait_forever && timeout.ns <= 0)) return TakeReady();
  const Nanos deadline = clock_.Now() + timeout;
  for (;;) {
    if (events_.empty()) {
      if (wait_forever) {
        *deadlock = true;
        return {};
      }
      clock_.AdvanceTo(deadline);
      return {};
    }
    const Nanos next{events_.begin()->first.first};
    if (!wait_forever && next > deadline) {
      clock_.AdvanceTo(deadline);
      return {};
    }
    clock_.AdvanceTo(std::max(next, clock_.Now()));
    RunDueEvents();
    if (!ready_order_.empty()) return TakeReady();
  }
}

void Kernel::Entropy(void* buf, size_t len) {
  auto* out = static_cast<unsigned char*>(buf);
  while (len > 0) {
    uint64_t word = entropy_.Next();
    const size_t n = std::min(len, sizeof(word));
    std::memcpy(out, &word, n);
    out += n;
    len -= n;
  }
}

}  // namespace loopsim
