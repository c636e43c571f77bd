// See iocp.h.
#include "fakeos/iocp.h"

#include <algorithm>
#include <cerrno>

#include "fakeos/base/check.h"

namespace loopsim {

struct Iocp::Op {
  uint64_t overlapped = 0;
  uint32_t wait = 0;  // the readiness bits that may let it progress
  bool inbound = false;  // reads and accepts; the others send
  // Tries to finish: a result, or -EAGAIN to stay pending.
  std::function<int64_t()> attempt;
};

struct Iocp::Assoc final : FileDescription::Watcher {
  Iocp* port = nullptr;
  FileDescription* desc = nullptr;
  uint64_t key = 0;
  std::deque<std::unique_ptr<Op>> ops;  // pending, in start order
  bool progressing = false;

  void OnWake(FileDescription&, uint32_t bits) override {
    for (const auto& op : ops) {
      if (op->wait & bits) {
        port->Progress(*this);
        return;
      }
    }
  }
  void OnRelease(FileDescription&) override {
    // Closing a handle aborts everything still pending on it.
    while (!ops.empty()) port->Complete(*this, *ops.front(), -ECANCELED);
    desc = nullptr;
    std::erase_if(port->assocs_, [this](const std::unique_ptr<Assoc>& a) { return a.get() == this; });
  }
};

Iocp::Iocp(Chooser& chooser, Options options) : chooser_(chooser), options_(std::move(options)) {}

Iocp::~Iocp() {
  for (auto& a : assocs_) a->desc->RemoveWatcher(a.get());
}

Iocp::Assoc* Iocp::Find(const FileDescription* d) {
  for (auto& a : assocs_) {
    if (a->desc == d) return a.get();
  }
  return nullptr;
}

size_t Iocp::pending_operations() const { return in_flight_.size(); }

int Iocp::Associate(FileDescription* d, uint64_t key) {
  if (d == nullptr || Find(d) != nullptr) return -EINVAL;
  auto a = std::make_unique<Assoc>();
  a->port = this;
  a->desc = d;
  a->key = key;
  d->AddWatcher(a.get());
  assocs_.push_back(std::move(a));
  return 0;
}

int Iocp::Start(FileDescription* d, std::unique_ptr<Op> op) {
  Assoc* a = Find(d);
  if (a == nullptr || in_flight_.count(op->overlapped)) return -EINVAL;
  in_flight_.insert(op->overlapped);
  a->ops.push_back(std::move(op));
  Progress(*a);
  return 0;
}

void Iocp::Progress(Assoc& a) {
  // A completion's own effects (a read freeing pipe space) can wake this description again: the outer
  // call carries on from where it is.
  if (a.progressing) return;
  a.progressing = true;
  // Operations in one direction go in the order they were started: a later write never overtakes an
  // earlier one still waiting for room, nor a later read an earlier one.
  bool blocked[2] = {false, false};
  for (size_t i = 0; i < a.ops.size();) {
    Op& op = *a.ops[i];
    if (blocked[op.inbound]) {
      ++i;
      continue;
    }
    const int64_t r = op.attempt();
    if (r == -EAGAIN) {
      blocked[op.inbound] = true;
      ++i;
      continue;
    }
    Complete(a, op, r);
    i = 0;  // something changed: an earlier operation may be able to go now
    blocked[0] = blocked[1] = false;
  }
  a.progressing = false;
}

void Iocp::Complete(Assoc& a, Op& op, int64_t result) {
  auto it = std::find_if(a.ops.begin(), a.ops.end(), [&](const auto& p) { return p.get() == &op; });
  LS_CHECK(it != a.ops.end());
  std::unique_ptr<Op> done = std::move(*it);
  a.ops.erase(it);
  LS_CHECK(in_flight_.erase(done->overlapped) == 1);
  Queue(IocpCompletion{a.key, done->overlapped, result});
}

void Iocp::Queue(IocpCompletion c) {
  const TestMutations& m = options_.mutations;
  ++completions_;
  if (m.lose_every_7th_completion && completions_ % 7 == 0) return;
  queue_.push_back(Packet{c, generation_});
  if (m.duplicate_every_5th_completion && completions_ % 5 == 0) queue_.push_back(Packet{c, generation_});
  if (options_.on_ready) options_.on_ready();
}

int Iocp::Read(FileDescription* d, uint64_t overlapped, void* buf, size_t len) {
  auto op = std::make_unique<Op>();
  op->overlapped = overlapped;
  op->wait = kPollIn | kPollHup | kPollErr | kPollRdHup;
  op->inbound = true;
  op->attempt = [d, buf, len]() -> int64_t {
    if (len == 0) return (d->Poll() & (kPollIn | kPollHup | kPollErr)) ? 0 : -EAGAIN;
    const int64_t n = d->Read(buf, len);
    return n == -EINTR ? -EAGAIN : n;  // the kernel retries an interrupted transfer itself
  };
  return Start(d, std::move(op));
}

int Iocp::Write(FileDescription* d, uint64_t overlapped, const void* buf, size_t len) {
  auto op = std::make_unique<Op>();
  op->overlapped = overlapped;
  op->wait = kPollOut | kPollHup | kPollErr;
  auto data = std::make_shared<std::string>(static_cast<const char*>(buf), len);
  auto done = std::make_shared<size_t>(0);
  op->attempt = [d, data, done]() -> int64_t {
    while (*done < data->size()) {
      const int64_t n = d->Write(data->data() + *done, data->size() - *done);
      if (n == -EAGAIN || n == -EINTR) return -EAGAIN;
      if (n < 0) return n;
      *done += static_cast<size_t>(n);
    }
    return static_cast<int64_t>(*done);
  };
  return Start(d, std::move(op));
}

int Iocp::Accept(StreamSocket* listener, uint64_t overlapped, std::shared_ptr<StreamSocket>* out) {
  auto op = std::make_unique<Op>();
  op->overlapped = overlapped;
  op->wait = kPollIn | kPollErr;
  op->inbound = true;
  op->attempt = [listener, out]() -> int64_t {
    const int r = listener->Accept(out);
    return r == -EMFILE ? -EAGAIN : r;  // AcceptEx has its socket already; the fault means "later"
  };
  return Start(listener, std::move(op));
}

int Iocp::Connect(StreamSocket* s, uint64_t overlapped, const SockAddr& to) {
  if (Find(s) == nullptr || in_flight_.count(overlapped)) return -EINVAL;
  const int r = s->Connect(to);
  if (r != 0 && r != -EINPROGRESS) return r;
  auto op = std::make_unique<Op>();
  op->overlapped = overlapped;
  op->wait = kPollOut | kPollErr | kPollHup;
  op->attempt = [s]() -> int64_t {
    const uint32_t level = s->Poll();
    if (level & kPollErr) return s->TakeError();
    return (level & kPollOut) ? 0 : -EAGAIN;
  };
  return Start(s, std::move(op));
}

int Iocp::Cancel(FileDescription* d, uint64_t overlapped) {
  Assoc* a = Find(d);
  if (a == nullptr) return -ENOENT;
  for (auto& op : a->ops) {
    if (op->overlapped != overlapped) continue;
    if (options_.mutations.cancel_also_completes) {
      Queue(IocpCompletion{a->key, overlapped, -ECANCELED});
      return 0;
    }
    Complete(*a, *op, -ECANCELED);
    return 0;
  }
  return -ENOENT;
}

void Iocp::Post(uint64_t key, uint64_t overlapped, int64_t result) { Queue(IocpCompletion{key, overlapped, result}); }

int Iocp::Dequeue(IocpCompletion* out, int max) {
  if (max <= 0) return -EINVAL;
  int n = 0;
  while (n < max && !queue_.empty()) {
    // Candidates: the packets of the oldest generation, which completed together as far as anyone
    // waiting on the port can tell, except that one handle's packets keep their order (a socket's
    // reads complete in the order they were issued).
    std::vector<size_t> candidates;
    std::set<uint64_t> keys;
    for (size_t i = 0; i < queue_.size() && queue_[i].generation == queue_.front().generation; ++i) {
      if (keys.insert(queue_[i].completion.key).second) candidates.push_back(i);
    }
    static uint64_t host_counter = 0;  // only for order_ignores_chooser
    const size_t choice = options_.mutations.order_ignores_chooser
                              ? static_cast<size_t>(host_counter++ % candidates.size())
                              : static_cast<size_t>(chooser_.Choose(Site::kReadyOrder, candidates.size()));
    const size_t pick = candidates[choice];
    out[n++] = queue_[pick].completion;
    queue_.erase(queue_.begin() + static_cast<ptrdiff_t>(pick));
  }
  ++generation_;
  return n;
}

}  // namespace loopsim
