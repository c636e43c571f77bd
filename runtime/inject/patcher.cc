// See patcher.h.
#include "runtime/inject/patcher.h"

#include "runtime/inject/status_text.h"

#include <capstone/capstone.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_format.h"

namespace loopsim::inject {

namespace {

constexpr int64_t kNear = (int64_t{1} << 31) - (int64_t{1} << 20);  // reach of a rel32, with a margin
constexpr size_t kArenaBytes = 1 << 20;
constexpr size_t kAbsoluteJumpBytes = 14;  // jmp [rip+0] + 8-byte address
constexpr size_t kSlotBytes = 96;          // one stub and one trampoline

uintptr_t PageOf(uintptr_t a) { return a & ~static_cast<uintptr_t>(::getpagesize() - 1); }

bool FitsRel32(int64_t d) { return d >= INT32_MIN && d <= INT32_MAX; }

void PutAbsoluteJump(uint8_t* at, uint64_t target) {
  const uint8_t jmp[6] = {0xff, 0x25, 0, 0, 0, 0};
  std::memcpy(at, jmp, 6);
  std::memcpy(at + 6, &target, 8);
}

void PutRel32(uint8_t* at, int32_t v) { std::memcpy(at, &v, 4); }

// Unconditional ends of straight-line code.
bool EndsFlow(const cs_insn& insn) {
  return insn.id == X86_INS_RET || insn.id == X86_INS_JMP || insn.id == X86_INS_UD2 || insn.id == X86_INS_INT3;
}

// The target of a relative branch (jmp, jcc, call, loop, jrcxz), if `insn` is one.
bool RelativeTarget(const cs_insn& insn, uint64_t* target) {
  const cs_x86& x = insn.detail->x86;
  if (x.op_count != 1 || x.operands[0].type != X86_OP_IMM) return false;
  for (int i = 0; i < insn.detail->groups_count; ++i) {
    const uint8_t g = insn.detail->groups[i];
    if (g == CS_GRP_JUMP || g == CS_GRP_CALL) {
      *target = static_cast<uint64_t>(x.operands[0].imm);
      return true;
    }
  }
  return false;
}

template <typename T>
T Read(const uint8_t* at) {
  T v;
  std::memcpy(&v, at, sizeof(v));
  return v;
}

// Whether the bytes of code[0, size) read, at some offset (an instruction boundary or not), as a
// relative branch into (entry, entry + kJumpBytes): jmp, jcc, loop or jrcxz with an 8-bit
// displacement; jmp, call, jcc or xbegin with a 16-bit (after a 0x66 prefix) or 32-bit one. Every
// instruction of the function would be such a byte sequence, so when this scan finds none, none of its
// instructions branches there, and the function need not be decoded (Capstone decodes about three
// instructions a microsecond; libuv's functions are 15,000).
bool MayBranchIntoEntry(const uint8_t* code, size_t size, uint64_t entry) {
  const auto into_entry = [entry](size_t end, int64_t displacement) {
    const uint64_t target = entry + end + static_cast<uint64_t>(displacement);
    return target > entry && target < entry + EntryPatcher::kJumpBytes;
  };
  for (size_t p = 0; p + 2 <= size; ++p) {
    const uint8_t op = code[p];
    const uint8_t next = code[p + 1];
    if ((op == 0xeb || (op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3)) &&
        into_entry(p + 2, static_cast<int8_t>(next))) {
      return true;
    }
    const size_t opcode = (op == 0xe8 || op == 0xe9) ? 1
                          : ((op == 0x0f && next >= 0x80 && next <= 0x8f) || (op == 0xc7 && next == 0xf8)) ? 2
                                                                                                           : 0;
    if (opcode == 0) continue;
    if (p + opcode + 2 <= size && into_entry(p + opcode + 2, Read<int16_t>(code + p + opcode))) return true;
    if (p + opcode + 4 <= size && into_entry(p + opcode + 4, Read<int32_t>(code + p + opcode))) return true;
  }
  return false;
}

struct InsnFree {
  void operator()(cs_insn* insn) const { cs_free(insn, 1); }
};

}  // namespace

struct EntryPatcher::Arena {
  uint8_t* start = nullptr;
  size_t used = 0;
};

EntryPatcher::EntryPatcher() {
  csh handle = 0;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) == CS_ERR_OK) {
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    capstone_ = reinterpret_cast<void*>(handle);
  }
}

EntryPatcher::~EntryPatcher() {
  if (capstone_ != nullptr) {
    csh handle = reinterpret_cast<csh>(capstone_);
    cs_close(&handle);
  }
}

uint64_t EntryPatcher::PaddingAfter(uintptr_t end) const {
  const uint64_t gap = (16 - end % 16) % 16;
  if (gap == 0 || capstone_ == nullptr) return 0;
  csh cs = reinterpret_cast<csh>(capstone_);
  cs_insn* insn = nullptr;
  const size_t n = cs_disasm(cs, reinterpret_cast<const uint8_t*>(end), gap, end, 0, &insn);
  uint64_t covered = 0;
  for (size_t i = 0; i < n; ++i) {
    if (insn[i].id != X86_INS_NOP && insn[i].id != X86_INS_INT3) break;
    covered += insn[i].size;
  }
  if (n > 0) cs_free(insn, n);
  return covered == gap ? gap : 0;
}

absl::Status EntryPatcher::Check(const FunctionSpan& f) const {
  if (capstone_ == nullptr) return absl::InternalError("the x86 decoder (Capstone) did not start");
  if (f.room < kJumpBytes) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%d bytes before the next symbol, %d needed for a jump", f.room, kJumpBytes));
  }
  static const uint8_t kEndbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  if (std::memcmp(reinterpret_cast<const void*>(f.entry), kEndbr64, 4) == 0) {
    return absl::FailedPreconditionError("the entry is a CET landing pad (endbr64)");
  }
  return absl::OkStatus();
}

absl::StatusOr<uint8_t*> EntryPatcher::NearAlloc(uintptr_t near, size_t bytes) {
  if (sealed_) return absl::FailedPreconditionError("the patcher is sealed");
  for (auto& arena : arenas_) {
    const auto start = reinterpret_cast<uintptr_t>(arena->start);
    const int64_t distance = static_cast<int64_t>(start) - static_cast<int64_t>(near);
    if (distance > -kNear + static_cast<int64_t>(kArenaBytes) && distance < kNear - static_cast<int64_t>(kArenaBytes) &&
        arena->used + bytes <= kArenaBytes) {
      uint8_t* out = arena->start + arena->used;
      arena->used += bytes;
      return out;
    }
  }
  // A free gap within reach: read the address space and try the gaps nearest to `near` first.
  std::vector<std::pair<uintptr_t, uintptr_t>> mapped;
  if (std::FILE* maps = std::fopen("/proc/self/maps", "r")) {
    unsigned long lo, hi;
    char line[512];
    while (std::fgets(line, sizeof(line), maps)) {
      if (std::sscanf(line, "%lx-%lx", &lo, &hi) == 2) mapped.emplace_back(lo, hi);
    }
    std::fclose(maps);
  }
  const uintptr_t page = static_cast<uintptr_t>(::getpagesize());
  const uintptr_t low = near > static_cast<uintptr_t>(kNear) ? near - static_cast<uintptr_t>(kNear) : 1 << 16;
  const uintptr_t high = near + static_cast<uintptr_t>(kNear) - kArenaBytes;
  std::vector<uintptr_t> candidates;
  uintptr_t prev_end = 1 << 16;
  mapped.emplace_back(UINTPTR_MAX & ~(page - 1), UINTPTR_MAX);
  for (const auto& [lo, hi] : mapped) {
    if (lo > prev_end && lo - prev_end >= kArenaBytes) {
      // The end of the gap nearest `near`, inside [low, high].
      uintptr_t pick = near < prev_end ? prev_end : (near > lo - kArenaBytes ? lo - kArenaBytes : PageOf(near));
      if (pick >= low && pick <= high) candidates.push_back(pick);
    }
    prev_end = hi;
  }
  for (uintptr_t at : candidates) {
    void* p = ::mmap(reinterpret_cast<void*>(at), kArenaBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) continue;
    if (reinterpret_cast<uintptr_t>(p) != at) {
      ::munmap(p, kArenaBytes);
      continue;
    }
    auto arena = std::make_unique<Arena>();
    arena->start = static_cast<uint8_t*>(p);
    arena->used = bytes;
    uint8_t* out = arena->start;
    arenas_.push_back(std::move(arena));
    return out;
  }
  return absl::ResourceExhaustedError(absl::StrFormat("no free memory within 2 GB of %#x", near));
}

absl::StatusOr<size_t> EntryPatcher::Relocate(const FunctionSpan& f, uint8_t* out, size_t capacity) const {
  csh cs = reinterpret_cast<csh>(capstone_);
  // Instructions are decoded one at a time into this one buffer: decoding a whole function at once
  // allocates and copies the (large) detail of every instruction.
  std::unique_ptr<cs_insn, InsnFree> insn(cs_malloc(cs));
  if (insn == nullptr) return absl::ResourceExhaustedError("the x86 decoder could not allocate an instruction");
  // A branch from the function's own body into the bytes the jump replaces would land mid-jump.
  const uint8_t* code = reinterpret_cast<const uint8_t*>(f.entry);
  size_t left = f.size != 0 ? f.size : f.room;
  uint64_t address = f.entry;
  if (MayBranchIntoEntry(code, left, f.entry)) {
    while (cs_disasm_iter(cs, &code, &left, &address, insn.get())) {
      uint64_t target = 0;
      if (RelativeTarget(*insn, &target) && target > f.entry && target < f.entry + kJumpBytes) {
        return absl::FailedPreconditionError("its own code branches back into its first bytes");
      }
    }
  }

  code = reinterpret_cast<const uint8_t*>(f.entry);
  left = f.room;
  address = f.entry;
  size_t copied = 0;  // bytes of the original consumed
  size_t written = 0;
  bool ended = false;
  absl::Status error;
  while (copied < kJumpBytes && error.ok() && cs_disasm_iter(cs, &code, &left, &address, insn.get())) {
    const cs_insn& in = *insn;
    const cs_x86& x = in.detail->x86;
    uint8_t* at = out + written;
    const uint64_t here = reinterpret_cast<uint64_t>(at);
    uint64_t target = 0;
    if (written + in.size + 16 > capacity) {
      error = absl::ResourceExhaustedError("the relocated prologue is too long");
    } else if (RelativeTarget(in, &target)) {
      const uint8_t op = in.bytes[0];
      if (in.size == 5 && (op == 0xe8 || op == 0xe9)) {  // call/jmp rel32
        const int64_t d = static_cast<int64_t>(target) - static_cast<int64_t>(here + 5);
        if (!FitsRel32(d)) error = absl::OutOfRangeError("a call or jump target is out of reach");
        at[0] = op;
        PutRel32(at + 1, static_cast<int32_t>(d));
        written += 5;
      } else if (in.size == 2 && op == 0xeb) {  // jmp rel8 -> jmp rel32
        const int64_t d = static_cast<int64_t>(target) - static_cast<int64_t>(here + 5);
        at[0] = 0xe9;
        PutRel32(at + 1, static_cast<int32_t>(d));
        written += 5;
      } else if (in.size == 2 && op >= 0x70 && op <= 0x7f) {  // jcc rel8 -> jcc rel32
        const int64_t d = static_cast<int64_t>(target) - static_cast<int64_t>(here + 6);
        at[0] = 0x0f;
        at[1] = static_cast<uint8_t>(0x80 + (op - 0x70));
        PutRel32(at + 2, static_cast<int32_t>(d));
        written += 6;
      } else if (in.size == 6 && op == 0x0f && in.bytes[1] >= 0x80 && in.bytes[1] <= 0x8f) {  // jcc rel32
        const int64_t d = static_cast<int64_t>(target) - static_cast<int64_t>(here + 6);
        if (!FitsRel32(d)) error = absl::OutOfRangeError("a branch target is out of reach");
        at[0] = 0x0f;
        at[1] = in.bytes[1];
        PutRel32(at + 2, static_cast<int32_t>(d));
        written += 6;
      } else {
        error = absl::UnimplementedError(Cat("cannot relocate `", in.mnemonic, " ", in.op_str, "`"));
      }
    } else {
      std::memcpy(at, in.bytes, in.size);
      bool rip_relative = false;
      for (int k = 0; k < x.op_count; ++k) {
        rip_relative = rip_relative || (x.operands[k].type == X86_OP_MEM && x.operands[k].mem.base == X86_REG_RIP);
      }
      if (rip_relative) {
        // disp32 is relative to the end of the instruction; keep the absolute address it names.
        const int64_t absolute = static_cast<int64_t>(in.address + in.size) + x.disp;
        const int64_t d = absolute - static_cast<int64_t>(here + in.size);
        if (x.encoding.disp_offset == 0 || x.encoding.disp_size != 4 || !FitsRel32(d)) {
          error = absl::OutOfRangeError(Cat("cannot re-aim `", in.mnemonic, " ", in.op_str, "`"));
        } else {
          PutRel32(at + x.encoding.disp_offset, static_cast<int32_t>(d));
        }
      }
      written += in.size;
    }
    copied += in.size;
    if (EndsFlow(in)) ended = true;
    if (ended && copied < kJumpBytes) break;
  }
  if (!error.ok()) return error;
  if (copied < kJumpBytes && !ended) return absl::DataLossError("the first instructions could not be decoded");
  // Where the copied instructions fall through, continue in the original after them.
  if (!ended) {
    PutAbsoluteJump(out + written, f.entry + copied);
    written += kAbsoluteJumpBytes;
  }
  return written;
}

absl::StatusOr<EntryPatcher::Redirected> EntryPatcher::Redirect(const FunctionSpan& f, const void* target) {
  if (absl::Status s = Check(f); !s.ok()) return s;
  absl::StatusOr<uint8_t*> slot = NearAlloc(f.entry, kSlotBytes);
  if (!slot.ok()) return slot.status();
  uint8_t* stub = *slot;
  uint8_t* trampoline = stub + 16;
  PutAbsoluteJump(stub, reinterpret_cast<uint64_t>(target));

  Redirected result;
  absl::StatusOr<size_t> relocated = Relocate(f, trampoline, kSlotBytes - 16);
  if (relocated.ok()) {
    result.original = trampoline;
  } else {
    result.no_original_reason = Message(relocated.status());
  }

  const int64_t d = static_cast<int64_t>(reinterpret_cast<uintptr_t>(stub)) - static_cast<int64_t>(f.entry + 5);
  if (!FitsRel32(d)) return absl::OutOfRangeError("the near memory is out of reach of the entry");
  uint8_t jump[5] = {0xe9, 0, 0, 0, 0};
  PutRel32(jump + 1, static_cast<int32_t>(d));
  const uintptr_t first = PageOf(f.entry);
  const size_t span = PageOf(f.entry + kJumpBytes - 1) - first + static_cast<uintptr_t>(::getpagesize());
  if (::mprotect(reinterpret_cast<void*>(first), span, PROT_READ | PROT_WRITE) != 0) {
    return absl::PermissionDeniedError(Cat("cannot make the entry writable: ", std::strerror(errno)));
  }
  std::memcpy(reinterpret_cast<void*>(f.entry), jump, sizeof(jump));
  ::mprotect(reinterpret_cast<void*>(first), span, PROT_READ | PROT_EXEC);
  return result;
}

void EntryPatcher::Seal() {
  for (auto& arena : arenas_) ::mprotect(arena->start, kArenaBytes, PROT_READ | PROT_EXEC);
  sealed_ = true;
}

}  // namespace loopsim::inject
