// A system call made without the C library: no errno, no cancellation point, no lazy binding. For the
// restore of a recycled zygote child (recycle.cc), which runs while the library's own memory is being
// put back, and for the interposed syscall() (interpose.cc), which must not call itself.
#pragma once

#if defined(__x86_64__) && defined(__linux__)

namespace loopsim::node_host {

// Returns the kernel's result: -errno on failure.
inline long RawSyscall(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
  long ret;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

}  // namespace loopsim::node_host

#endif
