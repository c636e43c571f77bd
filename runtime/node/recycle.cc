// See recycle.h. Everything from the jump to the restore stack on is written for a process whose memory
// is being replaced under it: no C library calls (the system calls are inline), no compiler-made calls
// to memcpy/memset (loops are kept as loops), all state in the restore's own mapping.
#include "runtime/node/recycle.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/node/raw_syscall.h"

#define LOOPSIM_RESTORE_CODE __attribute__((noinline, optimize("no-tree-loop-distribute-patterns")))

namespace loopsim::node_host {

int ThreadCount() {
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

#if defined(__x86_64__) && defined(__linux__)

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kPresent = 1ULL << 63;    // /proc/PID/pagemap: the page is in memory
constexpr uint64_t kExclusive = 1ULL << 56;  // ... and mapped by this process alone
constexpr int kMaxRegions = 8192;
constexpr int kMaxProtectionChanges = 4096;
constexpr int kMaxIov = 1024;     // IOV_MAX
constexpr int kPagemapChunk = 8192;  // entries read at once
constexpr int kMaxSignal = 64;
constexpr int kMaxFd = 1024;
constexpr size_t kMapsText = 1 << 20;
constexpr size_t kStack = 256 << 10;
constexpr size_t kMaxReply = 1024;
constexpr uint64_t kNoBitmap = ~0ULL;
constexpr uint32_t kCachePages = 4096;             // the twin's pages kept, once read (16 MB at most)
constexpr uint32_t kCacheSlots = 2 * kCachePages;  // the table finding them: open addressing, half full at most
constexpr int kCacheSlotBits = 13;                 // log2(kCacheSlots)

LOOPSIM_RESTORE_CODE long Sys(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
  return RawSyscall(n, a, b, c, d, e, f);
}

enum class Kind : uint8_t { kAnon, kFile, kShared, kSkip };

// One line of /proc/self/maps.
struct Region {
  uint64_t start, end;
  uint64_t offset, inode;
  uint32_t prot;
  Kind kind;
  uint64_t bitmap;  // the snapshot's: first bit of its pages in Scratch::present, or kNoBitmap
};

// A page of the twin's kept in the restore's memory: `page` its address (0: a free entry of the table),
// `slot` where its copy is.
struct CachedPage {
  uint64_t page;
  uint32_t slot;
};

// The kernel's struct sigaction (rt_sigaction's layout, not the C library's).
struct KernelSigaction {
  uint64_t handler, flags, restorer, mask;
};

// Everything the restore uses, in one mapping it never restores.
struct Scratch {
  void* mark[5];  // __builtin_setjmp's buffer
  int reply_fd;
  int twin_pid;
  int twin_pagemap_fd;
  int self_pagemap_fd;
  uint64_t begin, end;  // this mapping
  uint64_t brk;
  Region snapshot[kMaxRegions];
  int snapshot_count;
  Region now[kMaxRegions];
  int now_count;
  Region kept[kMaxRegions];
  int kept_count;
  int maps_fd;        // /proc/self/maps, for PROCMAP_QUERY
  bool query_layout;  // the kernel answers PROCMAP_QUERY (until it does not)
  uint64_t changed[kMaxProtectionChanges][2];  // ranges whose protection the seed changed
  int changed_count;
  bool changed_overflow;
  KernelSigaction signals[kMaxSignal + 1];
  bool signal_saved[kMaxSignal + 1];
  uint64_t signal_mask;
  uint64_t fds[kMaxFd / 64];  // open at the snapshot
  unsigned char reply[kMaxReply];
  size_t reply_size;
  iovec local[kMaxIov], remote[kMaxIov];
  int iov_count;
  uint64_t iov_bytes;
  // The pages a restore puts back are mostly the same every seed: the first restore that needs one
  // reads the twin's copy into this cache, and the restores after copy it from there instead of reading
  // the twin again (process_vm_readv pins both pages every time); restores of small seeds took 15-35%
  // less.
  CachedPage cache[kCacheSlots];
  uint32_t cache_used;
  uint8_t* cache_pages;         // kCachePages pages, after the bitmap
  CachedPage filling[kMaxIov];  // read into the cache by the queued reads: copied into place after them
  int filling_count;
  uint64_t pagemap[kPagemapChunk];
  uint64_t twin_pagemap[kPagemapChunk];
  int64_t restored_pages;  // by the last restore: copied back from the twin or dropped
  char maps[kMapsText];
  size_t maps_size;
  bool test_leave_pages;  // PrepareRecycling's test-only mutation
  bool recycling;  // the snapshot is taken: a seed's end restores (kept here, past the restore)
  uint64_t* present;  // the twin's present pages, one bit each: the mapping's pages after this struct
  alignas(16) char stack[kStack];
};

// Set before the snapshot, so the restore brings back the same value.
Scratch* g_scratch = nullptr;

LOOPSIM_RESTORE_CODE int64_t NowNs() {
  timespec ts{};
  Sys(SYS_clock_gettime, CLOCK_MONOTONIC, reinterpret_cast<long>(&ts));  // lint: allow-host-time (cost figure)
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// --- Reading the layout ---------------------------------------------------------------------------

LOOPSIM_RESTORE_CODE bool ReadMaps(Scratch* s) {
  const long fd = Sys(SYS_open, reinterpret_cast<long>("/proc/self/maps"), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t size = 0;
  for (;;) {
    const long n = Sys(SYS_read, fd, reinterpret_cast<long>(s->maps + size), static_cast<long>(kMapsText - size));
    if (n <= 0) break;
    size += static_cast<size_t>(n);
    if (size == kMapsText) break;
  }
  Sys(SYS_close, fd);
  s->maps_size = size;
  return size < kMapsText;
}

LOOPSIM_RESTORE_CODE uint64_t ParseNumber(const char** p, const char* end, int base) {
  uint64_t v = 0;
  for (; *p < end; ++*p) {
    const char c = **p;
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      break;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return v;
}

LOOPSIM_RESTORE_CODE void SkipSpaces(const char** p, const char* end) {
  while (*p < end && **p == ' ') ++*p;
}

// "start-end perms offset major:minor inode [path]" into a Region; the scratch mapping is skipped.
LOOPSIM_RESTORE_CODE Region ParseLine(const char* p, const char* end) {
  Region r{};
  r.start = ParseNumber(&p, end, 16);
  ++p;
  r.end = ParseNumber(&p, end, 16);
  ++p;
  if (p + 4 > end) {
    r.kind = Kind::kSkip;
    return r;
  }
  r.prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
  const bool shared = p[3] == 's';
  p += 4;
  SkipSpaces(&p, end);
  r.offset = ParseNumber(&p, end, 16);
  SkipSpaces(&p, end);
  while (p < end && *p != ' ') ++p;  // the device
  SkipSpaces(&p, end);
  r.inode = ParseNumber(&p, end, 10);
  SkipSpaces(&p, end);
  // The kernel's own mappings ([vdso], [vvar], [vvar_vclock], [vsyscall], [uprobes]) are never
  // changed by a program; [heap], [stack] and named anonymous memory ([anon:NAME]) are anonymous.
  const bool kernels = p + 1 < end && p[0] == '[' && (p[1] == 'v' || p[1] == 'u');
  if (shared) {
    r.kind = Kind::kShared;
  } else if (kernels) {
    r.kind = Kind::kSkip;
  } else if (r.inode == 0) {
    r.kind = Kind::kAnon;
  } else {
    r.kind = Kind::kFile;
  }
  r.bitmap = kNoBitmap;
  return r;
}

// Adds a region to a layout, leaving out the scratch mapping (which the kernel may have merged with a
// neighbour); false when the layout is full.
LOOPSIM_RESTORE_CODE bool Append(const Scratch* s, Region r, Region* out, int* n) {
  if (r.end <= s->begin || r.start >= s->end) {
    if (*n == kMaxRegions) return false;
    out[(*n)++] = r;
    return true;
  }
  if (r.start < s->begin) {
    if (*n == kMaxRegions) return false;
    out[*n] = r;
    out[(*n)++].end = s->begin;
  }
  if (r.end > s->end) {
    if (*n == kMaxRegions) return false;
    if (r.kind == Kind::kFile) r.offset += s->end - r.start;
    r.start = s->end;
    out[(*n)++] = r;
  }
  return true;
}

// The current layout into `out`, from /proc/self/maps's text; false when it does not fit.
LOOPSIM_RESTORE_CODE bool ReadLayout(Scratch* s, Region* out, int* count) {
  if (!ReadMaps(s)) return false;
  int n = 0;
  const char* p = s->maps;
  const char* end = s->maps + s->maps_size;
  while (p < end) {
    const char* eol = p;
    while (eol < end && *eol != '\n') ++eol;
    if (!Append(s, ParseLine(p, eol), out, &n)) return false;
    p = eol + 1;
  }
  *count = n;
  return true;
}

// Linux 6.11's PROCMAP_QUERY on /proc/self/maps: one mapping a call, without formatting its path (a
// third of the cost of reading the text). Its layout, from linux/fs.h.
struct ProcmapQuery {
  uint64_t size, query_flags, query_addr;
  uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
  uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
  uint64_t vma_name_addr, build_id_addr;
};
constexpr unsigned long kProcmapQuery = (3UL << 30) | (sizeof(ProcmapQuery) << 16) | ('f' << 8) | 17;  // _IOWR
constexpr uint64_t kCoveringOrNextVma = 0x10;
constexpr uint64_t kVmaReadable = 1, kVmaWritable = 2, kVmaExecutable = 4, kVmaShared = 8;
constexpr long kENOENT = 2;

// The current layout by PROCMAP_QUERY; the kernel's own mappings (vdso, vvar), which it does not name,
// are known by the snapshot's. 1: read; 0: failed; -1: the kernel has no such query.
LOOPSIM_RESTORE_CODE int QueryLayout(Scratch* s, Region* out, int* count) {
  int n = 0;
  uint64_t at = 0;
  int skip = 0;
  for (;;) {
    ProcmapQuery q{};
    q.size = sizeof(q);
    q.query_flags = kCoveringOrNextVma;
    q.query_addr = at;
    const long rc = Sys(SYS_ioctl, s->maps_fd, static_cast<long>(kProcmapQuery), reinterpret_cast<long>(&q));
    if (rc == -kENOENT) break;
    if (rc < 0) return n == 0 ? -1 : 0;
    Region r{};
    r.start = q.vma_start;
    r.end = q.vma_end;
    r.offset = q.vma_offset;
    r.inode = q.inode;
    r.prot = ((q.vma_flags & kVmaReadable) ? PROT_READ : 0) | ((q.vma_flags & kVmaWritable) ? PROT_WRITE : 0) |
             ((q.vma_flags & kVmaExecutable) ? PROT_EXEC : 0);
    r.kind = (q.vma_flags & kVmaShared) ? Kind::kShared : q.inode == 0 ? Kind::kAnon : Kind::kFile;
    r.bitmap = kNoBitmap;
    while (skip < s->snapshot_count && (s->snapshot[skip].kind != Kind::kSkip || s->snapshot[skip].end <= r.start)) {
      ++skip;
    }
    if (skip < s->snapshot_count && s->snapshot[skip].start < r.end) r.kind = Kind::kSkip;
    if (!Append(s, r, out, &n)) return 0;
    at = q.vma_end;
  }
  *count = n;
  return 1;
}

// The current layout: by query where the kernel has it, else from the text.
LOOPSIM_RESTORE_CODE bool CurrentLayout(Scratch* s) {
  if (s->query_layout) {
    const int got = QueryLayout(s, s->now, &s->now_count);
    if (got >= 0) return got == 1;
    s->query_layout = false;
  }
  return ReadLayout(s, s->now, &s->now_count);
}

// --- Restoring ------------------------------------------------------------------------------------

LOOPSIM_RESTORE_CODE bool SameBacking(const Region& a, const Region& b, uint64_t at) {
  if (a.kind != b.kind) return false;
  if (a.kind != Kind::kFile) return true;
  return a.inode == b.inode && a.offset + (at - a.start) == b.offset + (at - b.start);
}

LOOPSIM_RESTORE_CODE bool Unmap(uint64_t start, uint64_t end) {
  return Sys(SYS_munmap, static_cast<long>(start), static_cast<long>(end - start)) == 0;
}

// Unmaps every piece of the current layout that the snapshot does not have with the same backing, and
// keeps the rest in s->kept.
LOOPSIM_RESTORE_CODE bool UnmapAdded(Scratch* s) {
  s->kept_count = 0;
  int j0 = 0;
  for (int i = 0; i < s->now_count; ++i) {
    const Region& c = s->now[i];
    while (j0 < s->snapshot_count && s->snapshot[j0].end <= c.start) ++j0;
    uint64_t at = c.start;
    for (int j = j0; j < s->snapshot_count && at < c.end; ++j) {
      const Region& r = s->snapshot[j];
      if (r.start >= c.end) break;
      if (r.start > at) {
        if (!Unmap(at, r.start)) return false;
        at = r.start;
      }
      const uint64_t stop = r.end < c.end ? r.end : c.end;
      if (SameBacking(r, c, at)) {
        if (s->kept_count == kMaxRegions) return false;
        Region piece = c;
        piece.start = at;
        piece.end = stop;
        s->kept[s->kept_count++] = piece;
      } else if (r.kind == Kind::kSkip || c.kind == Kind::kSkip || !Unmap(at, stop)) {
        return false;
      }
      at = stop;
    }
    if (at < c.end && !Unmap(at, c.end)) return false;
  }
  return true;
}

LOOPSIM_RESTORE_CODE void NoteChanged(Scratch* s, uint64_t start, uint64_t end) {
  if (s->changed_count == kMaxProtectionChanges) {
    s->changed_overflow = true;
    return;
  }
  s->changed[s->changed_count][0] = start;
  s->changed[s->changed_count][1] = end;
  ++s->changed_count;
}

// Maps again, empty and writable, the private anonymous pieces of the snapshot that are gone (their
// pages come back from the twin), and makes s->now the layout as it then is. A file or shared mapping
// that is gone cannot be made again exactly: false.
LOOPSIM_RESTORE_CODE bool MapRemoved(Scratch* s) {
  int k = 0;
  int n = 0;
  for (int i = 0; i < s->snapshot_count; ++i) {
    const Region& r = s->snapshot[i];
    uint64_t at = r.start;
    while (at < r.end) {
      while (k < s->kept_count && s->kept[k].end <= at) {
        if (n == kMaxRegions) return false;
        s->now[n++] = s->kept[k++];
      }
      if (k < s->kept_count && s->kept[k].start <= at) {
        at = s->kept[k].end < r.end ? s->kept[k].end : r.end;
        continue;
      }
      const uint64_t gap_end = k < s->kept_count && s->kept[k].start < r.end ? s->kept[k].start : r.end;
      if (r.kind == Kind::kSkip) {
        at = gap_end;
        continue;
      }
      if (r.kind != Kind::kAnon || n == kMaxRegions) return false;
      const long got = Sys(SYS_mmap, static_cast<long>(at), static_cast<long>(gap_end - at), PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (got != static_cast<long>(at)) return false;
      NoteChanged(s, at, gap_end);
      Region piece = r;
      piece.start = at;
      piece.end = gap_end;
      piece.prot = PROT_READ | PROT_WRITE;
      s->now[n++] = piece;
      at = gap_end;
    }
  }
  while (k < s->kept_count) {
    if (n == kMaxRegions) return false;
    s->now[n++] = s->kept[k++];
  }
  s->now_count = n;
  return true;
}

LOOPSIM_RESTORE_CODE void CopyPage(uint64_t to, const uint8_t* from) {
  auto* d = reinterpret_cast<uint64_t*>(to);
  const auto* f = reinterpret_cast<const uint64_t*>(from);
  for (uint64_t i = 0; i < kPage / 8; ++i) d[i] = f[i];
}

// The cache's entry for the page at `at`: the page's own, or the free one it would take.
LOOPSIM_RESTORE_CODE CachedPage* CacheEntry(Scratch* s, uint64_t at) {
  uint64_t i = ((at / kPage) * 0x9e3779b97f4a7c15ULL) >> (64 - kCacheSlotBits);
  while (s->cache[i].page != 0 && s->cache[i].page != at) i = (i + 1) % kCacheSlots;
  return &s->cache[i];
}

LOOPSIM_RESTORE_CODE bool FlushCopies(Scratch* s) {
  if (s->iov_count == 0) return true;
  const long n = Sys(SYS_process_vm_readv, s->twin_pid, reinterpret_cast<long>(s->local), s->iov_count,
                     reinterpret_cast<long>(s->remote), s->iov_count, 0);
  const bool ok = n == static_cast<long>(s->iov_bytes);
  s->iov_count = 0;
  s->iov_bytes = 0;
  for (int i = 0; ok && i < s->filling_count; ++i) {
    CopyPage(s->filling[i].page, s->cache_pages + uint64_t{s->filling[i].slot} * kPage);
  }
  s->filling_count = 0;
  return ok;
}

// Puts the twin's page at `at` back: from the cache when read before, else read from the twin (into
// the cache while it has room), the read joined to the previous one when both sides are adjacent.
LOOPSIM_RESTORE_CODE bool QueueCopy(Scratch* s, uint64_t at) {
  ++s->restored_pages;
  CachedPage* cached = CacheEntry(s, at);
  if (cached->page == at) {
    CopyPage(at, s->cache_pages + uint64_t{cached->slot} * kPage);
    return true;
  }
  if ((s->iov_count == kMaxIov || s->filling_count == kMaxIov) && !FlushCopies(s)) return false;
  uint64_t local = at;
  if (s->cache_used < kCachePages) {
    *cached = {at, s->cache_used++};
    s->filling[s->filling_count++] = *cached;
    local = reinterpret_cast<uint64_t>(s->cache_pages) + uint64_t{cached->slot} * kPage;
  }
  if (s->iov_count > 0) {
    iovec& last_local = s->local[s->iov_count - 1];
    iovec& last_remote = s->remote[s->iov_count - 1];
    if (reinterpret_cast<uint64_t>(last_local.iov_base) + last_local.iov_len == local &&
        reinterpret_cast<uint64_t>(last_remote.iov_base) + last_remote.iov_len == at) {
      last_local.iov_len += kPage;
      last_remote.iov_len += kPage;
      s->iov_bytes += kPage;
      return true;
    }
  }
  s->local[s->iov_count] = {reinterpret_cast<void*>(local), kPage};
  s->remote[s->iov_count] = {reinterpret_cast<void*>(at), kPage};
  ++s->iov_count;
  s->iov_bytes += kPage;
  return true;
}

// Puts back the pages of [start, end), a piece of snapshot region `r`: a page this process owns alone
// (it was written, or is new) is copied from the twin, or dropped when the twin had none; a page the
// seed dropped comes back from the twin. Which pages the twin has: the snapshot's bitmap, or, for a
// region without one, the twin's pagemap.
LOOPSIM_RESTORE_CODE bool RestorePages(Scratch* s, const Region& r, uint64_t start, uint64_t end) {
  uint64_t drop_start = 0, drop_end = 0;
  for (uint64_t chunk = start; chunk < end; chunk += kPagemapChunk * kPage) {
    const uint64_t chunk_end = end - chunk > kPagemapChunk * kPage ? chunk + kPagemapChunk * kPage : end;
    const long want = static_cast<long>((chunk_end - chunk) / kPage * 8);
    const long offset = static_cast<long>(chunk / kPage * 8);
    if (Sys(SYS_pread64, s->self_pagemap_fd, reinterpret_cast<long>(s->pagemap), want, offset) != want) return false;
    if (r.bitmap == kNoBitmap &&
        Sys(SYS_pread64, s->twin_pagemap_fd, reinterpret_cast<long>(s->twin_pagemap), want, offset) != want) {
      return false;
    }
    for (uint64_t at = chunk; at < chunk_end; at += kPage) {
      const uint64_t i = (at - chunk) / kPage;
      const uint64_t e = s->pagemap[i];
      const bool present = (e & kPresent) != 0;
      if (present && (e & kExclusive) == 0) continue;
      bool twin;
      if (r.bitmap != kNoBitmap) {
        const uint64_t bit = r.bitmap + (at - r.start) / kPage;
        twin = ((s->present[bit / 64] >> (bit % 64)) & 1) != 0;
      } else {
        twin = (s->twin_pagemap[i] & kPresent) != 0;
      }
      if (twin) {
        if (!QueueCopy(s, at)) return false;
      } else if (present) {
        ++s->restored_pages;
        if (drop_end != at) {
          if (drop_end > drop_start && Sys(SYS_madvise, static_cast<long>(drop_start),
                                           static_cast<long>(drop_end - drop_start), MADV_DONTNEED) != 0) {
            return false;
          }
          drop_start = at;
        }
        drop_end = at + kPage;
      }
    }
  }
  if (drop_end > drop_start &&
      Sys(SYS_madvise, static_cast<long>(drop_start), static_cast<long>(drop_end - drop_start), MADV_DONTNEED) != 0) {
    return false;
  }
  return FlushCopies(s);
}

// [a, b) of snapshot region `r`, now mapped with protection `now_prot`: its pages, then its protection.
LOOPSIM_RESTORE_CODE bool RestorePiece(Scratch* s, const Region& r, uint32_t now_prot, uint64_t a, uint64_t b) {
  const bool open = (now_prot & PROT_WRITE) != 0;
  const long length = static_cast<long>(b - a);
  if (!open && Sys(SYS_mprotect, static_cast<long>(a), length, static_cast<long>(now_prot | PROT_READ | PROT_WRITE)) != 0) {
    return false;
  }
  if (!s->test_leave_pages && !RestorePages(s, r, a, b)) return false;
  return (open && now_prot == r.prot) || Sys(SYS_mprotect, static_cast<long>(a), length, static_cast<long>(r.prot)) == 0;
}

// Every piece of every private snapshot region that may have been written: a piece writable at the
// snapshot or now, whole; one never writable, only where the seed changed protections.
LOOPSIM_RESTORE_CODE bool RestoreRegions(Scratch* s) {
  int k = 0;
  for (int i = 0; i < s->snapshot_count; ++i) {
    const Region& r = s->snapshot[i];
    if (r.kind != Kind::kAnon && r.kind != Kind::kFile) continue;
    while (k < s->now_count && s->now[k].end <= r.start) ++k;
    for (int j = k; j < s->now_count && s->now[j].start < r.end; ++j) {
      const Region& c = s->now[j];
      const uint64_t a = c.start > r.start ? c.start : r.start;
      const uint64_t b = c.end < r.end ? c.end : r.end;
      if (((r.prot | c.prot) & PROT_WRITE) != 0 || c.prot != r.prot || s->changed_overflow) {
        if (!RestorePiece(s, r, c.prot, a, b)) return false;
        continue;
      }
      for (int m = 0; m < s->changed_count; ++m) {
        const uint64_t x = s->changed[m][0] > a ? s->changed[m][0] : a;
        const uint64_t y = s->changed[m][1] < b ? s->changed[m][1] : b;
        if (x < y && !RestorePiece(s, r, c.prot, x, y)) return false;
      }
    }
  }
  return true;
}

LOOPSIM_RESTORE_CODE bool RestoreSignals(Scratch* s) {
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (!s->signal_saved[sig]) continue;
    if (Sys(SYS_rt_sigaction, sig, reinterpret_cast<long>(&s->signals[sig]), 0, 8) != 0) return false;
  }
  return Sys(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&s->signal_mask), 0, 8) == 0;
}

LOOPSIM_RESTORE_CODE bool Restore(Scratch* s) {
  s->restored_pages = 0;
  if (static_cast<uint64_t>(Sys(SYS_brk, static_cast<long>(s->brk))) != s->brk) return false;
  if (!CurrentLayout(s) || !UnmapAdded(s) || !MapRemoved(s) || !RestoreRegions(s)) return false;
  s->changed_count = 0;
  s->changed_overflow = false;
  return RestoreSignals(s);
}

FinishReply g_finish_reply = nullptr;

// On the restore stack: puts the memory back, answers, and jumps to the mark (or ends the process).
[[noreturn]] LOOPSIM_RESTORE_CODE void RestoreAndJump() {
  Scratch* s = g_scratch;  // read before the restore; the scratch mapping itself is never restored
  const FinishReply finish = g_finish_reply;
  const int64_t start = NowNs();
  const bool ok = Restore(s);
  finish(s->reply, {ok, static_cast<long long>(NowNs() - start), s->restored_pages});
  Sys(SYS_sendto, s->reply_fd, reinterpret_cast<long>(s->reply), static_cast<long>(s->reply_size), MSG_NOSIGNAL, 0, 0);
  if (!ok) Sys(SYS_exit_group, 0);
  __builtin_longjmp(s->mark, 1);
}

// --- Before the restore (the C library may be used) ----------------------------------------------

bool FdOpen(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

// The open descriptors, from /proc/self/fd; false if one is past what the record holds.
bool RecordFds(Scratch* s) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  const int own = ::dirfd(dir);
  bool fits = true;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd == own) continue;
    if (fd >= kMaxFd) fits = false;
    if (fits) s->fds[fd / 64] |= 1ULL << (fd % 64);
  }
  ::closedir(dir);
  return fits;
}

bool SnapshotFd(const Scratch* s, int fd) { return fd < kMaxFd && ((s->fds[fd / 64] >> (fd % 64)) & 1) != 0; }

// Closes what the seed opened; false if it closed one of the snapshot's.
bool PutBackFds(const Scratch* s) {
  int from = 0;
  for (int fd = 0; fd < kMaxFd; ++fd) {
    if (!SnapshotFd(s, fd)) continue;
    if (!FdOpen(fd)) return false;
    if (fd > from) ::syscall(SYS_close_range, from, fd - 1, 0);
    from = fd + 1;
  }
  ::syscall(SYS_close_range, from, ~0U, 0);
  return true;
}

void RecordSignals(Scratch* s) {
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    s->signal_saved[sig] = Sys(SYS_rt_sigaction, sig, 0, reinterpret_cast<long>(&s->signals[sig]), 8) == 0;
  }
  Sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, reinterpret_cast<long>(&s->signal_mask), 8);
}

// Memory protection keys: V8 may tag code pages with one, which a mapping made again would not have.
bool HasProtectionKeys() {
  const long key = ::syscall(SYS_pkey_alloc, 0, 0);
  if (key < 0) return false;
  ::syscall(SYS_pkey_free, key);
  return true;
}

// Whether the twin's presence is kept as a bitmap for a snapshot region: a private one that is
// writable, or anonymous and accessible (others are asked of the twin's pagemap when needed).
bool HasBitmap(const Region& r) {
  if (r.kind != Kind::kAnon && r.kind != Kind::kFile) return false;
  return (r.prot & PROT_WRITE) != 0 || (r.kind == Kind::kAnon && r.prot != PROT_NONE);
}

// Pages of the snapshot's regions that have a bitmap: one bit each.
uint64_t BitmapPages(const Scratch* s) {
  uint64_t pages = 0;
  for (int i = 0; i < s->snapshot_count; ++i) {
    if (HasBitmap(s->snapshot[i])) pages += (s->snapshot[i].end - s->snapshot[i].start) / kPage;
  }
  return pages;
}

// Reads which pages the twin has, for the regions that have a bitmap.
bool ReadTwinPresence(Scratch* s) {
  uint64_t next = 0;
  for (int i = 0; i < s->snapshot_count; ++i) {
    Region& r = s->snapshot[i];
    if (!HasBitmap(r)) continue;
    r.bitmap = next;
    for (uint64_t chunk = r.start; chunk < r.end; chunk += kPagemapChunk * kPage) {
      const uint64_t chunk_end = r.end - chunk > kPagemapChunk * kPage ? chunk + kPagemapChunk * kPage : r.end;
      const size_t want = (chunk_end - chunk) / kPage * 8;
      if (::pread(s->twin_pagemap_fd, s->pagemap, want, static_cast<off_t>(chunk / kPage * 8)) !=
          static_cast<ssize_t>(want)) {
        return false;
      }
      for (uint64_t at = chunk; at < chunk_end; at += kPage, ++next) {
        if ((s->pagemap[(at - chunk) / kPage] & kPresent) != 0) s->present[next / 64] |= 1ULL << (next % 64);
      }
    }
  }
  return true;
}

}  // namespace

bool PrepareRecycling(int reply_fd, bool test_leave_pages) {
  if (HasProtectionKeys()) return false;
  // The restore's memory is sized once, from the layout as it is: the bitmap needs a bit per page that
  // may be written. Mapped before the layout is recorded, so the snapshot knows it (and skips it).
  constexpr int kMapFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  void* probe = ::mmap(nullptr, sizeof(Scratch), PROT_READ | PROT_WRITE, kMapFlags, -1, 0);
  if (probe == MAP_FAILED) return false;
  auto* layout = static_cast<Scratch*>(probe);
  const bool read = ReadLayout(layout, layout->snapshot, &layout->snapshot_count);
  const uint64_t bitmap_bytes = (BitmapPages(layout) + 64 * 1024) / 64 * 8 + 8;  // and the scratch's own
  ::munmap(probe, sizeof(Scratch));
  if (!read) return false;
  const size_t head = (sizeof(Scratch) + bitmap_bytes + kPage - 1) / kPage * kPage;
  const size_t size = head + size_t{kCachePages} * kPage;
  void* mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, kMapFlags, -1, 0);
  if (mem == MAP_FAILED) return false;
  Scratch* s = static_cast<Scratch*>(mem);
  s->begin = reinterpret_cast<uint64_t>(mem);
  s->end = s->begin + size;
  s->present = reinterpret_cast<uint64_t*>(s + 1);
  s->cache_pages = static_cast<uint8_t*>(mem) + head;
  s->reply_fd = reply_fd;
  s->test_leave_pages = test_leave_pages;
  s->self_pagemap_fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  s->maps_fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  s->query_layout = s->maps_fd >= 0;
  if (s->self_pagemap_fd < 0 || !ReadLayout(s, s->snapshot, &s->snapshot_count) ||
      BitmapPages(s) > (head - sizeof(Scratch)) * 8 || !RecordFds(s)) {
    ::munmap(mem, size);
    return false;
  }
  s->brk = static_cast<uint64_t>(Sys(SYS_brk, 0));
  RecordSignals(s);
  g_scratch = s;
  return true;
}

void** RecycleMark() { return g_scratch->mark; }

bool TakeSnapshot() {
  Scratch* s = g_scratch;
  const long worker = Sys(SYS_getpid);
  // A raw clone: the twin returns here with the C library untouched (no fork handlers, no new thread id
  // in its thread block) and waits until the worker dies.
  const long pid = Sys(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    Sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
    if (Sys(SYS_getppid) != worker) Sys(SYS_exit_group, 0);
    for (;;) Sys(SYS_pause);
  }
  if (pid < 0) return false;
  s->twin_pid = static_cast<int>(pid);
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%ld/pagemap", pid);
  s->twin_pagemap_fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (s->twin_pagemap_fd < 0 || !ReadTwinPresence(s)) return false;
  // The twin must be readable: its copy of the scratch's first page, read into the pagemap buffer.
  iovec local{s->pagemap, kPage};
  iovec remote{s, kPage};
  if (::process_vm_readv(s->twin_pid, &local, 1, &remote, 1, 0) != static_cast<ssize_t>(kPage)) return false;
  // Descriptors opened since the layout was recorded (the twin's pagemap) belong to the snapshot too.
  if (!RecordFds(s)) return false;
  s->recycling = true;
  return true;
}

bool Recycling() { return g_scratch != nullptr && g_scratch->recycling; }

void RecycleAfterSeed(const void* reply, size_t reply_size, FinishReply finish_reply) {
  Scratch* s = g_scratch;
  if (!Recycling() || reply_size > kMaxReply || ThreadCount() != 1 || !PutBackFds(s)) return;
  std::memcpy(s->reply, reply, reply_size);
  s->reply_size = reply_size;
  g_finish_reply = finish_reply;
  char* top = s->stack + kStack;
  asm volatile(
      "mov %0, %%rsp\n\t"
      "call *%1\n\t"
      :
      : "r"(top), "r"(&RestoreAndJump)
      : "memory");
  __builtin_unreachable();
}

bool KeepsDescriptor(int fd) { return fd > 2 && Recycling() && SnapshotFd(g_scratch, fd); }

void NoteProtectionChange(const void* addr, size_t length) {
  if (!Recycling()) return;
  const uint64_t start = reinterpret_cast<uint64_t>(addr) / kPage * kPage;
  const uint64_t end = (reinterpret_cast<uint64_t>(addr) + length + kPage - 1) / kPage * kPage;
  NoteChanged(g_scratch, start, end);
}

#else  // not Linux on x86-64: a zygote child runs one seed

bool PrepareRecycling(int, bool) { return false; }
void** RecycleMark() { return nullptr; }
bool TakeSnapshot() { return false; }
bool Recycling() { return false; }
void RecycleAfterSeed(const void*, size_t, FinishReply) {}
bool KeepsDescriptor(int) { return false; }
void NoteProtectionChange(const void*, size_t) {}

#endif

}  // namespace loopsim::node_host
