// The kqueue model: one kqueue over virtual file descriptions, as macOS and the BSDs behave where libuv
// can tell. A kevent() call applies a changelist and then reports an eventlist, in one call:
//   - Knotes are keyed by (ident, filter); EVFILT_READ and EVFILT_WRITE are modelled.
//   - EV_ADD creates a knote or updates an existing one (and enables it unless EV_DISABLE is given);
//     EV_DELETE removes it; EV_ENABLE/EV_DISABLE switch reporting on and off. A change that fails
//     (ENOENT for an unknown knote, EBADF for an unknown ident, EINVAL for another filter) is reported
//     as an EV_ERROR event with the errno in `data` while there is room in the eventlist, else it fails
//     the call; EV_RECEIPT reports successful changes the same way, with data 0.
//   - A read knote fires while there is data (data = bytes readable, or connections queued for a
//     listener) or end of file; a write knote while there is send space (data = free bytes). EV_EOF is
//     set when the peer has hung up (or the object failed).
//   - Level-triggered by default: a knote is reported on every call while it fires. EV_CLEAR reports it
//     again only after the description wakes anew; EV_ONESHOT deletes it once reported.
//   - Closing the last descriptor of a description deletes its knotes, as close() does on the BSDs.
// Which of several firing knotes is reported first is the chooser's (Site::kReadyOrder).
//
// kevent never blocks here: the loop waits on a kernel source it signals from `on_ready`.
//
// Fault model: none; faults come from the descriptions.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "fakeos/chooser.h"
#include "fakeos/file_description.h"
#include "fakeos/registrations.h"

namespace loopsim {

// The filters modelled (EVFILT_READ, EVFILT_WRITE), with the BSD values so traces read like a Mac's. A
// change may carry another value (kevent's caller is free to): Apply refuses it with EINVAL.
enum class KFilter : int16_t { kRead = -1, kWrite = -2 };

// The flags of a change and of a reported event (EV_*), the BSD values.
inline constexpr uint16_t kEvAdd = 0x0001;
inline constexpr uint16_t kEvDelete = 0x0002;
inline constexpr uint16_t kEvEnable = 0x0004;
inline constexpr uint16_t kEvDisable = 0x0008;
inline constexpr uint16_t kEvOneshot = 0x0010;
inline constexpr uint16_t kEvClear = 0x0020;
inline constexpr uint16_t kEvReceipt = 0x0040;
inline constexpr uint16_t kEvError = 0x4000;
inline constexpr uint16_t kEvEof = 0x8000;

struct KEvent {
  uint64_t ident = 0;
  KFilter filter{};
  uint16_t flags = 0;
  uint32_t fflags = 0;
  int64_t data = 0;
  uint64_t udata = 0;
};

// Test-only ways to break the rules the property tests check. Never set outside tests.
struct KqueueTestMutations {
  bool drop_every_7th_event = false;   // loses events
  bool level_reports_once = false;     // level-triggered knotes behave as EV_CLEAR
  bool clear_rearms = false;           // EV_CLEAR knotes behave as level-triggered
  bool oneshot_stays = false;          // EV_ONESHOT knotes are not deleted
  bool data_off_by_one = false;        // `data` counts one byte too many
  bool order_ignores_chooser = false;  // report order from a process-wide counter, not the seed
};

class Kqueue {
 public:
  using TestMutations = KqueueTestMutations;
  struct Options {
    // Maps an ident to its description, or nullptr if no such descriptor is open.
    std::function<FileDescription*(uint64_t ident)> lookup;
    // Called when a knote starts firing; the loop signals its kernel source from here.
    std::function<void()> on_ready;
    TestMutations mutations;
  };

  Kqueue(Chooser& chooser, Options options);
  Kqueue(const Kqueue&) = delete;
  Kqueue& operator=(const Kqueue&) = delete;

  // kevent() without blocking: returns the number of events written (EV_ERROR receipts included) or a
  // negative errno.
  int Kevent(const KEvent* changes, int nchanges, KEvent* events, int nevents);
  // True if a kevent call would report something now.
  bool HasReady();
  size_t knote_count() const { return knotes_.size(); }

 private:
  struct Knote;
  using Key = std::pair<uint64_t, KFilter>;

  int Apply(const KEvent& change);
  // Whether the knote fires now; if so fills *out.
  bool Evaluate(const Knote& kn, KEvent* out) const;
  void PruneQueue();

  Options options_;
  Registrations<Key, Knote> knotes_;  // the knotes, and on the ready list those that may fire
  uint64_t reported_ = 0;
};

}  // namespace loopsim
