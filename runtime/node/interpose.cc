// Clock and entropy sources that bypass libuv, and V8's fork-hostile memory advice. These definitions
// live in the executable, so the dynamic linker binds libnode's, V8's, ICU's and libcrypto's calls to
// them instead of libc's and OpenSSL's:
// - clock_gettime, gettimeofday, time: V8's and ICU's clocks (Date.now itself comes from the platform);
// - RAND_bytes, RAND_priv_bytes and their _ex forms: crypto.randomBytes/randomUUID/getRandomValues and
//   key generation;
// - madvise: V8 10.2 marks every heap reservation MADV_DONTFORK, which leaves a forked child without a
//   heap; a zygote's children need it, so that advice is dropped (all other advice goes to the kernel).
// Before a runtime exists (libnode's static initialisers) the clocks stand at the boot instant. While
// Node boots, entropy comes from the boot seed's stream (V8 seeds its mmap hints with it); the seed's own
// stream starts when the seed begins.
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>

#include "runtime/runtime.h"

using loopsim::runtime::Runtime;

namespace {

timespec ToTimespec(int64_t ns) { return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)}; }

void Entropy(unsigned char* buf, size_t n) { Runtime::Get().kernel().Entropy(buf, n); }

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

int RAND_bytes(unsigned char* buf, int num) {
  if (num < 0) return 0;
  Entropy(buf, static_cast<size_t>(num));
  return 1;
}

int RAND_priv_bytes(unsigned char* buf, int num) { return RAND_bytes(buf, num); }

int RAND_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength) {
  Entropy(buf, num);
  return 1;
}

int RAND_priv_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength) {
  Entropy(buf, num);
  return 1;
}

int madvise(void* addr, size_t length, int advice) {
  if (advice == MADV_DONTFORK) return 0;
  return static_cast<int>(syscall(SYS_madvise, addr, length, advice));
}

int RAND_status(void) { return 1; }
int RAND_poll(void) { return 1; }

}  // extern "C"
