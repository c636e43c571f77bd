// What the host answers in place of the C library and OpenSSL, for code that bypasses libuv:
// - clock_gettime, gettimeofday, time: V8's, ICU's and every other clock in the process (Date.now) read
//   the virtual clock, on every thread (the real libuv's own loops included, see host.h);
// - getrandom, getentropy: OpenSSL's seeding and anything else that asks the kernel for entropy;
// - RAND_bytes and its relatives (redirected in the binary, not interposed: official builds link
//   OpenSSL statically): crypto.randomBytes/randomUUID/getRandomValues and key generation;
// - recv: Node 22+ peeks at an idle keep-alive socket (recv with MSG_PEEK on the descriptor uv_fileno
//   gave) before reusing it; on the simulation's thread a descriptor of a simulated socket is answered
//   by the virtual kernel;
// - madvise: V8 marks heap reservations MADV_DONTFORK, which leaves a forked child without a heap; a
//   zygote's children need it, so that advice is dropped (all other advice goes to the kernel);
// - mprotect, close, syscall: a zygote child that recycles itself notes the ranges whose protection
//   changed, and keeps open the descriptors it began with (recycle.h); everything else passes on;
// - fopen, fopen64: c-ares (node's dns) reads the resolver's configuration files when `dns` loads; the
//   simulated machine has none of them, so a program sees c-ares's defaults (`dns.getServers()` is
//   ['127.0.0.1']) on every host, never the host's name servers;
// - exit and __libc_start_main: node's process ends in exit() (process.exit()) or by returning from
//   main (the end of the program, which the C library turns into exit() without going through the
//   interposed one); either way the run is finished first (host.h).
// These definitions are exported from the library (the preload comes before the C library in symbol
// lookup). Before a runtime exists (static initialisers) the clocks stand at the boot instant and entropy
// comes from a fixed stream; entropy asked for on another thread than the simulation's (the main
// thread, or the worker thread whose turn it is) comes from the host, as it can reach no program.
#include <dlfcn.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "fakeos/base/prng.h"
#include "runtime/node/host.h"
#include "runtime/node/raw_syscall.h"
#include "runtime/node/recycle.h"
#include "runtime/runtime.h"
#include "runtime/uv/process.h"
#include "runtime/uv/threads.h"

using loopsim::runtime::Runtime;

namespace {

using loopsim::uv::OnSimulationThread;

timespec ToTimespec(int64_t ns) { return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)}; }

void Entropy(void* buf, size_t n) {
  if (!OnSimulationThread()) {
    ::syscall(SYS_getrandom, buf, n, 0);  // lint: allow-host-entropy (never reaches the program)
    return;
  }
  if (Runtime::Started()) {
    Runtime::Get().kernel().Entropy(buf, n);
    return;
  }
  static uint64_t state = 0x6c6f6f7073696d01;
  auto* out = static_cast<unsigned char*>(buf);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(loopsim::SplitMix64(state));
}

// The files c-ares reads its configuration from, none of which the simulated machine has.
bool IsResolverConfiguration(const char* path) {
  if (path == nullptr) return false;
  for (const char* file : {"/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/svc.conf",
                           "/etc/netsvc.conf"}) {
    if (std::strcmp(path, file) == 0) return true;
  }
  return false;
}

using Fopen = FILE* (*)(const char*, const char*);

FILE* OpenUnlessResolverConfiguration(Fopen real, const char* path, const char* mode) {
  if (!IsResolverConfiguration(path)) return real(path, mode);
  errno = ENOENT;
  return nullptr;
}

}  // namespace

extern "C" {

int clock_gettime(clockid_t clock_id, struct timespec* tp) {
  const loopsim::Clock& clock = loopsim::runtime::SimClock();
  switch (clock_id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      *tp = ToTimespec(clock.Wall().ns);
      return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      *tp = ToTimespec(clock.SinceBoot().ns);
      return 0;
    default:
      *tp = ToTimespec(clock.Now().ns);
      return 0;
  }
}

int gettimeofday(struct timeval* tv, void* tz) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}

time_t time(time_t* out) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (out != nullptr) *out = ts.tv_sec;
  return ts.tv_sec;
}

ssize_t getrandom(void* buf, size_t n, unsigned int flags) {
  Entropy(buf, n);
  return static_cast<ssize_t>(n);
}

int getentropy(void* buf, size_t n) {
  Entropy(buf, n);
  return 0;
}

ssize_t recv(int fd, void* buf, size_t len, int flags) {
  if (OnSimulationThread() && Runtime::Started()) {
    if (auto* socket = dynamic_cast<loopsim::StreamSocket*>(Runtime::Get().kernel().vfs().Description(fd))) {
      if ((flags & MSG_PEEK) == 0) {
        Runtime::Get().Halt(loopsim::runtime::Stop::kUnsupported,
                            "recv() on a simulated socket outside libuv is not simulated yet (only peeking is)");
      }
      const int64_t r = socket->Peek(buf, len);
      if (r < 0) {
        errno = static_cast<int>(-r);
        return -1;
      }
      return static_cast<ssize_t>(r);
    }
  }
  return static_cast<ssize_t>(::syscall(SYS_recvfrom, fd, buf, len, flags, nullptr, nullptr));
}

FILE* fopen(const char* path, const char* mode) {
  static const auto real = reinterpret_cast<Fopen>(dlsym(RTLD_NEXT, "fopen"));
  return OpenUnlessResolverConfiguration(real, path, mode);
}

FILE* fopen64(const char* path, const char* mode) {
  static const auto real = reinterpret_cast<Fopen>(dlsym(RTLD_NEXT, "fopen64"));
  return OpenUnlessResolverConfiguration(real, path, mode);
}

int madvise(void* addr, size_t length, int advice) {
  if (advice == MADV_DONTFORK) return 0;
  return static_cast<int>(syscall(SYS_madvise, addr, length, advice));
}

// libuv closes its descriptors with syscall(SYS_close, fd), past close(): both keep a recycled child's
// descriptors (recycle.h); every other call is passed on as the C library's syscall() does (six
// arguments, -errno into errno).
long syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long args[6];
  for (long& arg : args) arg = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_close && loopsim::node_host::KeepsDescriptor(static_cast<int>(args[0]))) return 0;
  const long r = loopsim::node_host::RawSyscall(number, args[0], args[1], args[2], args[3], args[4], args[5]);
  if (r < 0 && r > -4096) {
    errno = static_cast<int>(-r);
    return -1;
  }
  return r;
}

int close(int fd) { return static_cast<int>(syscall(SYS_close, fd)); }

int mprotect(void* addr, size_t length, int prot) {
  loopsim::node_host::NoteProtectionChange(addr, length);
  return static_cast<int>(syscall(SYS_mprotect, addr, length, prot));
}

[[noreturn]] void exit(int code) {
  if (Runtime::Started()) loopsim::node_host::EndProcess(code);
  // Not loopsim's node (the library was inherited by another program): the C library's exit.
  reinterpret_cast<void (*)(int)>(dlsym(RTLD_NEXT, "exit"))(code);
  __builtin_unreachable();
}

using Main = int (*)(int, char**, char**);
static Main g_node_main = nullptr;

static int NodeMain(int argc, char** argv, char** envp) {
  const int code = g_node_main(argc, argv, envp);
  if (Runtime::Started()) loopsim::node_host::EndProcess(code);
  return code;
}

int __libc_start_main(Main main, int argc, char** argv, void (*init)(), void (*fini)(), void (*rtld_fini)(),
                      void* stack_end) {
  using Start = int (*)(Main, int, char**, void (*)(), void (*)(), void (*)(), void*);
  g_node_main = main;
  return reinterpret_cast<Start>(dlsym(RTLD_NEXT, "__libc_start_main"))(&NodeMain, argc, argv, init, fini, rtld_fini,
                                                                         stack_end);
}

// The redirection targets of OpenSSL's entropy functions (redirects.cc); not exported.
// Node's own reports to stdout and stderr (an uncaught error, process._rawDebug) are written with
// fwrite; a simulated child's go to its own stdio (runtime/uv/process.h).
size_t fwrite(const void* data, size_t size, size_t count, FILE* stream) {
  static const auto real = reinterpret_cast<size_t (*)(const void*, size_t, size_t, FILE*)>(dlsym(RTLD_NEXT, "fwrite"));
  if ((stream == stdout || stream == stderr) && OnSimulationThread() &&
      loopsim::uv::WriteChildStdio(stream == stdout ? 1 : 2, data, size * count)) {
    return count;
  }
  return real(data, size, count, stream);
}

int RAND_bytes(unsigned char* buf, int num) {
  if (num < 0) return 0;
  Entropy(buf, static_cast<size_t>(num));
  return 1;
}
int RAND_priv_bytes(unsigned char* buf, int num) { return RAND_bytes(buf, num); }
int RAND_pseudo_bytes(unsigned char* buf, int num) { return RAND_bytes(buf, num); }
int RAND_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength) {
  Entropy(buf, num);
  return 1;
}
int RAND_priv_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength) {
  Entropy(buf, num);
  return 1;
}
int RAND_status(void) { return 1; }
int RAND_poll(void) { return 1; }

}  // extern "C"
