// Fault injection: named fault sites in the models, and a per-run profile saying how often each kind of
// fault fires. A site is a place where the kernel could fail (a socket read, a disk write, a packet on
// the wire); each site can raise a fixed set of kinds (a socket read: EINTR, EAGAIN, a short read,
// ECONNRESET, ETIMEDOUT). The model asks Check(site) and acts out the kind that fired, if any.
//
// Every decision goes through the chooser at Site::kFault, so a fault that fired is a recorded choice
// and a replayed decision log fires the same faults. By the chooser's convention the answer 0 is "no
// fault", so a decision log cut short or shrunk runs fault-free.
//
// Swarm testing: with `swarm` on (the default), the run first decides, per kind with a non-zero
// probability, whether that kind is on at all (one recorded choice each; 0 = off). So some seeds run
// with, say, only short reads and partitions, which finds bugs a uniform mix of everything hides.
//
// Profiles: `none` (nothing fires; no decisions are asked), `light`, `heavy`, or a text file:
//   # a comment; blank lines are ignored; one setting a line
//   base light                 # start from a built-in profile (default: none)
//   swarm off                  # on | off
//   eagain 1/50                # <kind> <num>/<den>: chance that the kind fires when a site may raise it
//   latency-spike-ns 20000000  # how long a latency spike delays a packet
//   partition-ns 1000000000    # how long a fault-injected partition lasts before it heals
// Kinds: eagain eintr short-read short-write econnreset etimedout enospc eio emfile latency-spike
// partition isolate crash (the last three only between hosts: `loopsim --host`). Neither built-in
// profile isolates or crashes a host. Probabilities are integer ratios below one (0 <= num < den <= 2^20), so that every fault
// that fires was a real, recorded choice.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "fakeos/base/time.h"
#include "fakeos/chooser.h"

namespace loopsim {

enum class FaultKind : uint8_t {
  kNone = 0,
  kEagain,        // a spurious "would block"
  kEintr,         // a spurious interruption
  kShortRead,     // fewer bytes than there were
  kShortWrite,    // fewer bytes taken than offered
  kConnReset,     // the connection is reset (ECONNRESET)
  kTimedOut,      // the connection times out (ETIMEDOUT)
  kNoSpace,       // the disk is full (ENOSPC)
  kIo,            // an I/O error (EIO)
  kMfile,         // out of descriptors (EMFILE)
  kLatencySpike,  // a packet is held back for latency_spike
  kPartition,     // the link between two hosts is cut for `partition`, then heals
  kIsolate,       // every link of the sending host is cut for `partition`, then heals
  kCrash,         // the sending host crashes (Network::Options::on_crash; never the program's own host)
  kCount,
};
inline constexpr size_t kFaultKinds = static_cast<size_t>(FaultKind::kCount);

// Where a fault can happen. Append new sites at the end; the table of kinds per site is in faults.cc.
enum class FaultSite : uint8_t {
  kNetRead,      // reading a stream socket
  kNetWrite,     // writing a stream socket
  kNetConnect,   // a connection attempt reaching its peer
  kNetAccept,    // accepting a connection
  kNetSocket,    // creating a socket
  kNetTransmit,  // a segment or datagram leaving a host
  kDiskOpen,     // opening or creating a file
  kDiskRead,     // reading a file
  kDiskWrite,    // writing a file
  kDiskFsync,    // flushing a file
  kCount,
};

std::string_view FaultKindName(FaultKind kind);
// The negative errno a kind stands for, or 0 for kinds that are not an error (short counts, latency).
int FaultErrno(FaultKind kind);

struct Ratio {
  uint32_t num = 0;
  uint32_t den = 1;
};

struct FaultProfile {
  std::array<Ratio, kFaultKinds> chance{};  // indexed by FaultKind; kNone unused
  bool swarm = true;
  Nanos latency_spike = Milliseconds(50);
  Nanos partition = Seconds(2);

  Ratio& operator[](FaultKind kind) { return chance[static_cast<size_t>(kind)]; }
  const Ratio& operator[](FaultKind kind) const { return chance[static_cast<size_t>(kind)]; }

  static FaultProfile None();
  static FaultProfile Light();
  static FaultProfile Heavy();
  // "none", "light" or "heavy". Returns false for another name: a lookup, not a parse, so a bool (the
  // caller says which names there are).
  static bool Named(std::string_view name, FaultProfile* out);
  // The text format above. Bad input is an InvalidArgument status naming the line and the problem.
  static absl::StatusOr<FaultProfile> Parse(std::string_view text);
};

// Test-only ways to break the rule the fault property tests check. Never set outside tests.
struct FaultTestMutations {
  bool fire_without_choice = false;  // every 5th check fires without asking the chooser
};

class Faults {
 public:
  using TestMutations = FaultTestMutations;

  Faults(Chooser& chooser, FaultProfile profile, TestMutations mutations = {});

  // Which fault fires at `site` now: kNone, or one of the kinds the site can raise.
  FaultKind Check(FaultSite site);
  // As Check, but `impossible` (a kind that cannot happen to this object, e.g. a timeout on loopback) is
  // never asked about.
  FaultKind Check(FaultSite site, FaultKind impossible);
  // For a short read or write of `len` bytes: how many to move, in [1, len). len < 2 gives len.
  uint64_t ShortLength(uint64_t len);

  bool enabled(FaultKind kind) const { return enabled_[static_cast<size_t>(kind)]; }
  uint64_t fired(FaultKind kind) const { return fired_[static_cast<size_t>(kind)]; }
  const FaultProfile& profile() const { return profile_; }

 private:
  Chooser& chooser_;
  FaultProfile profile_;
  TestMutations mutations_;
  std::array<bool, kFaultKinds> enabled_{};
  std::array<uint64_t, kFaultKinds> fired_{};
  uint64_t checks_ = 0;
};

}  // namespace loopsim
