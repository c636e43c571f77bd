// The IOCP model: a Windows I/O completion port over virtual file descriptions, as libuv's Windows
// backend meets it. Descriptions are associated with the port under a completion key; overlapped
// operations (read, write, accept, connect) are started on them and each completes exactly once, with
// its result, as a completion packet queued on the port:
//   - a read completes as soon as there is data (with at most `len` bytes, in the order reads were
//     started), at end of file with 0 bytes, or with the error; a zero-byte read, libuv's way to wait
//     for readability, completes with 0 once the description is readable;
//   - a write completes when all its bytes are in the send buffer (its bytes are copied at start), or
//     with the error;
//   - an accept completes with the new connection, a connect when the handshake is over or has failed;
//   - cancelling a pending operation (CancelIoEx) completes it with -ECANCELED, Windows'
//     ERROR_OPERATION_ABORTED; cancelling one that already completed fails with -ENOENT
//     (ERROR_NOT_FOUND) and changes nothing; closing a description cancels all its operations.
// An operation that can complete at once still completes through the port, as without
// FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. Dequeue (GetQueuedCompletionStatusEx) takes up to `max`
// packets: those queued since the previous Dequeue count as simultaneous, and their order is the
// chooser's (Site::kReadyOrder), except that the packets of one handle keep their order; older
// packets always come first.
//
// Dequeue never blocks: the loop waits on a kernel source it signals from `on_ready`.
//
// Fault model: none of its own; operations meet the faults of the descriptions they run against.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fakeos/chooser.h"
#include "fakeos/file_description.h"
#include "fakeos/net.h"

namespace loopsim {

struct IocpCompletion {
  uint64_t key = 0;
  uint64_t overlapped = 0;
  int64_t result = 0;  // bytes moved (0 for accept and connect), or a negative errno
};

// Test-only ways to break the rules the property tests check. Never set outside tests.
struct IocpTestMutations {
  bool lose_every_7th_completion = false;
  bool duplicate_every_5th_completion = false;
  bool cancel_also_completes = false;  // a cancelled operation still completes normally later
  bool order_ignores_chooser = false;
};

class Iocp {
 public:
  using TestMutations = IocpTestMutations;
  struct Options {
    // Called when a packet is queued; the loop signals its kernel source from here.
    std::function<void()> on_ready;
    TestMutations mutations;
  };

  Iocp(Chooser& chooser, Options options);
  ~Iocp();
  Iocp(const Iocp&) = delete;
  Iocp& operator=(const Iocp&) = delete;

  // CreateIoCompletionPort(handle, port, key). -EINVAL if d is already associated.
  int Associate(FileDescription* d, uint64_t key);

  // Overlapped operations: 0 when started (they complete exactly once), or a negative errno when they
  // could not start (they never complete): -EINVAL for an unassociated description or an overlapped
  // id already in flight. `buf` and `out` must stay valid until the completion is dequeued.
  int Read(FileDescription* d, uint64_t overlapped, void* buf, size_t len);
  int Write(FileDescription* d, uint64_t overlapped, const void* buf, size_t len);
  int Accept(StreamSocket* listener, uint64_t overlapped, std::shared_ptr<StreamSocket>* out);
  int Connect(StreamSocket* s, uint64_t overlapped, const SockAddr& to);
  int Cancel(FileDescription* d, uint64_t overlapped);
  // PostQueuedCompletionStatus: queues a packet of the caller's own (uv_async on Windows).
  void Post(uint64_t key, uint64_t overlapped, int64_t result);

  // GetQueuedCompletionStatusEx without waiting: up to max packets; returns how many, or -EINVAL.
  int Dequeue(IocpCompletion* out, int max);
  bool HasCompletions() const { return !queue_.empty(); }
  size_t pending_operations() const;

 private:
  struct Op;
  struct Assoc;
  struct Packet {
    IocpCompletion completion;
    uint64_t generation;
  };

  Assoc* Find(const FileDescription* d);
  int Start(FileDescription* d, std::unique_ptr<Op> op);
  // Tries the pending operations of a in start order; completes those that can complete.
  void Progress(Assoc& a);
  void Complete(Assoc& a, Op& op, int64_t result);
  void Queue(IocpCompletion c);

  Chooser& chooser_;
  Options options_;
  std::vector<std::unique_ptr<Assoc>> assocs_;  // in association order
  std::set<uint64_t> in_flight_;                // overlapped ids started and not yet completed
  std::deque<Packet> queue_;
  uint64_t generation_ = 0;  // bumped by every Dequeue
  uint64_t completions_ = 0;
};

}  // namespace loopsim
