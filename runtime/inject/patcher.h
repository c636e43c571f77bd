// Redirects function entries of code loaded in this process to other functions, and keeps a way to call
// the original code. x86-64 only.
//
// A redirected entry starts with a 5-byte `jmp rel32` to a stub in memory the patcher maps within
// ±2 GB of the entry; the stub jumps on to the target with an absolute indirect jump, so the target may
// be anywhere and no register is clobbered. Only 5 bytes of the function change, so an entry needs 5
// bytes of room before the next symbol (alignment padding counts).
//
// The original stays callable through a trampoline: the instructions the jump overwrote, decoded with
// Capstone and relocated into the same near memory (rip-relative operands and relative branches
// re-aimed, short branches widened), followed by a jump back into the rest of the function. A function
// whose own code branches back into its first 5 bytes, or whose first instructions cannot be relocated,
// gets no trampoline; Redirect says why.
//
// Use: Check (nothing written) for every entry first, so a binary is refused before anything changes;
// then Redirect each, then Seal, which makes the near memory read-only and executable. All of it before
// a second thread exists: an entry is briefly not executable while it is written.
#pragma once

#include <cstdint>
#include <vector>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace loopsim::inject {

// What the patcher needs to know of a function besides its entry.
struct FunctionSpan {
  uintptr_t entry = 0;
  uint64_t size = 0;  // the function's own size (its symbol's), for the branch-back scan; 0 if unknown
  uint64_t room = 0;  // bytes from the entry to the next symbol
};

class EntryPatcher {
 public:
  static constexpr uint64_t kJumpBytes = 5;

  EntryPatcher();
  ~EntryPatcher();
  EntryPatcher(const EntryPatcher&) = delete;
  EntryPatcher& operator=(const EntryPatcher&) = delete;

  // Alignment padding (nop and int3 instructions) from `end` up to the next multiple of 16, in bytes:
  // room a function whose object lists only its exported symbols has after its own bytes.
  uint64_t PaddingAfter(uintptr_t end) const;

  // Whether `f` can be redirected: enough room, no CET landing pad at the entry, code readable.
  absl::Status Check(const FunctionSpan& f) const;

  struct Redirected {
    void* original = nullptr;        // the trampoline, or null when the original cannot be called
    std::string no_original_reason;  // why not, when it cannot
  };
  // Writes the jump at f.entry to `target`. Fails (changing nothing) when Check fails or no near
  // memory can be found.
  absl::StatusOr<Redirected> Redirect(const FunctionSpan& f, const void* target);

  // Makes every stub and trampoline read-only and executable. Redirect fails after this.
  void Seal();

 private:
  struct Arena;
  absl::StatusOr<uint8_t*> NearAlloc(uintptr_t near, size_t bytes);
  // Builds the relocated copy of the first instructions at `out` (which must be within ±2 GB of
  // everything they reach); returns its length, or an error saying why it cannot.
  absl::StatusOr<size_t> Relocate(const FunctionSpan& f, uint8_t* out, size_t capacity) const;

  void* capstone_ = nullptr;  // csh
  std::vector<std::unique_ptr<Arena>> arenas_;
  bool sealed_ = false;
};

}  // namespace loopsim::inject
