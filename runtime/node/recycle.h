// A zygote child that runs seed after seed: after each seed it puts its memory back to what it was when
// it began, instead of exiting and leaving the zygote to fork the next one (zygote.h). Forking a booted
// node costs a seed about a millisecond twice (copying the zygote's page tables, tearing them down at
// exit) and a copy-on-write fault for every page the seed writes; a recycled child pays none of these
// for the pages earlier seeds made its own.
//
// How: when the child begins, it records its mappings, program break, descriptors and signal state,
// marks the point to come back to, and clones a twin that never runs again (a raw clone, so not even
// the C library's fork handlers write to it): the twin's memory is the child's at that instant. After a
// seed, every page of the child that is no longer shared with the twin (the kernel's "exclusively
// mapped" bit of /proc/self/pagemap: a page the child wrote is its own copy) is copied back from the
// twin (process_vm_readv; the restore keeps a copy of each page it read, and the next restores copy
// from there), or dropped when the twin had none; mappings the seed added are unmapped,
// ones it removed are mapped again, protections it changed are changed back; then the child jumps back
// to its mark and waits for the next seed. Pages that are not writable and whose protection the seed
// never changed (mprotect is interposed to note it) are not looked at.
//
// The restore runs on a stack and in memory of its own and makes system calls without the C library,
// since the library's own memory (errno, its locks) is among what it puts back. It refuses, and the child
// ends as a forked child always did, when it cannot put something back exactly: a thread still running,
// a descriptor of the beginning closed, a file mapping removed, more mappings than it keeps. Process
// state outside memory that a seed could change and loopsim does not undo: the working directory, umask,
// resource limits and timers of the host process, which the simulated program never reaches (it sees
// the virtual kernel's).
//
// Linux on x86-64 only (the system calls are made directly); elsewhere, and where the kernel denies
// reading the twin or the CPU has memory protection keys (V8 may tag code pages with them, which a
// mapping made again would lose), the child runs one seed and exits.
#pragma once

#include <cstddef>

namespace loopsim::node_host {

// In a freshly forked zygote child, before its first seed: records what the restore needs and maps the
// restore's own memory. `reply_fd` is where the reply of each seed goes (see RecycleAfterSeed). False if
// this machine cannot recycle. `test_leave_pages` breaks the restore on purpose (tests only): pages a
// seed wrote stay as it left them.
bool PrepareRecycling(int reply_fd, bool test_leave_pages = false);

// The mark to come back to: a buffer for __builtin_setjmp, which the caller sets in a frame that is live
// at the snapshot (the frame comes back with the memory).
void** RecycleMark();

// Called once, where __builtin_setjmp(RecycleMark()) returned 0: clones the twin. False if the twin
// cannot be read (the child then runs one seed and exits).
bool TakeSnapshot();

// Whether this process is a child that recycles itself (PrepareRecycling and TakeSnapshot succeeded).
bool Recycling();

// After a seed: puts the memory back, sends `reply` (`reply_size` bytes, one message) on reply_fd with
// the restore's cost filled in by `finish_reply`, then jumps to the mark. Returns only if the seed left
// something it cannot put back before touching anything (the caller then exits as a forked child did);
// if the restore fails midway, it sends the reply marked so and ends the process.
struct RestoreOutcome {
  bool recycled;    // the memory is put back; the child waits for the next seed
  long long ns;     // the restore's time
  long long pages;  // pages it copied back from the twin or dropped
};
using FinishReply = void (*)(void* reply, RestoreOutcome outcome);
void RecycleAfterSeed(const void* reply, size_t reply_size, FinishReply finish_reply);

// Whether close(fd) must leave fd open: a descriptor the child had when it began (other than its stdio,
// which each seed redirects), since the restore brings back the memory that owns it. Node's exit path
// (process.exit) closes the descriptors of its own libuv loop; a later seed's would close them again.
bool KeepsDescriptor(int fd);

// How many threads this process has (/proc/self/task), -1 when it cannot tell.
int ThreadCount();

// mprotect's interposer (interpose.cc) tells of every protection change, so that the restore looks at
// pages that were writable only for a while.
void NoteProtectionChange(const void* addr, size_t length);

}  // namespace loopsim::node_host
