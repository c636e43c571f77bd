// The random runs the readiness models' property tests share (epoll_test.cc, kqueue_test.cc): four pipes
// of 16 bytes whose read ends the model watches, and operations decoded from bytes, one a byte: its kind
// is op % 8, its pipe (op / 8) % 4 and its parameter op / 32. Writes and drains mean the same to both
// models and are done here; the model test gives every other kind its meaning and checks the model
// against its reference, recording what it finds wrong with Fail.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fakeos/pipe.h"

namespace loopsim {

// `Ref` is the model test's reference state of one pipe: it has `PipePair pipe` and `bool pending` (a
// wake the model has not reported yet).
template <typename Ref>
class PipeRun {
 public:
  static constexpr size_t kPipes = 4;

  // One operation: where it stands in the run, and its byte, decoded by the accessors.
  struct Op {
    size_t step;
    uint8_t byte;
    int kind() const { return byte % 8; }
    size_t pipe() const { return static_cast<size_t>(byte / 8) % kPipes; }
    int param() const { return byte / 32; }
  };

  PipeRun() {
    for (Ref& r : refs) r.pipe = MakePipe(16);
  }

  // Records that the model broke a rule at `step`; only the first is kept.
  void Fail(size_t step, const std::string& what) {
    if (violation_.empty()) violation_ = "step " + std::to_string(step) + ": " + what;
  }
  // "" while no rule was broken, else the first broken.
  const std::string& violation() const { return violation_; }

  // Runs `ops` until the first violation. Kind 0 writes 1 + param bytes into a pipe whose ends are both
  // open (a wake), kind 1 drains an open read end, and every other kind is `model(op)`'s.
  template <typename Model>
  void Run(const std::vector<uint8_t>& ops, Model model) {
    for (size_t step = 0; step < ops.size() && violation_.empty(); ++step) {
      const Op op{step, ops[step]};
      Ref& r = refs[op.pipe()];
      char buf[16] = {};
      if (op.kind() == 0) {
        if (r.pipe.read && r.pipe.write && r.pipe.write->Write(buf, static_cast<size_t>(1 + op.param())) > 0) {
          r.pending = true;
        }
      } else if (op.kind() == 1) {
        if (r.pipe.read) r.pipe.read->Read(buf, sizeof(buf));
      } else {
        model(op);
      }
    }
  }

  // After a call that reported the pipes in `reported`, and had room for more if `room`: each other pipe
  // whose read end is open and that `owed(ref, ready)` says was due (ready: it has data or a hang-up) is
  // a violation, "`what` N not reported". A wake that found its pipe drained is gone (pending no more),
  // as on Linux and the BSDs.
  template <typename Owed>
  void CheckNoneLeftOut(size_t step, const std::set<uint64_t>& reported, bool room, const std::string& what,
                        Owed owed) {
    for (size_t i = 0; i < kPipes; ++i) {
      Ref& r = refs[i];
      if (!r.pipe.read || reported.count(i)) continue;
      const bool ready = (r.pipe.read->Poll() & (kPollIn | kPollHup)) != 0;
      if (!ready) r.pending = false;
      if (owed(r, ready) && room) Fail(step, what + " " + std::to_string(i) + " not reported");
    }
  }

  std::array<Ref, kPipes> refs;

 private:
  std::string violation_;
};

}  // namespace loopsim
