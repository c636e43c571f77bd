// The zygote's wire format (zygote.h): a SOCK_SEQPACKET socket between a zygote and the one client that
// started it, one message per request and per reply. Both ends are built together (the loopsim command
// and its host library), so the reply and the ready message are plain structs; a request is two numbers
// and NUL-terminated strings. Kept apart from the zygote itself so the explorer links none of the host.
//
// Neither end parses a command line, on purpose: this is a protocol between loopsim's own processes,
// not a user interface. The user's options are parsed once, by sim/cli.cc's tables; the zygote runner
// prepares each seed from a `run` command line parsed by those same tables, and the zygote gets the
// result as the launch description (launch.h) and these messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loopsim::node_host {

// One seed for a zygote to run: its description (launch.h's SeedLaunch, as JSON), where the child's
// stdout and stderr go, its wall-clock budget, and whether the child measures its private memory at the
// end (benchmarks: reading /proc/self/smaps_rollup costs the child about half a millisecond).
struct ZygoteRequest {
  std::string seed;
  std::string stdout_path;
  std::string stderr_path;
  uint64_t timeout_ms = 30'000;
  bool measure_memory = false;
};

// How a child ended and what it cost. Times are host nanoseconds; the marks count from the fork and are
// 0 when the child did not get that far.
struct ZygoteReply {
  int32_t pid = 0;
  int32_t wait_status = 0;  // as waitpid reports it
  bool timed_out = false;   // the watchdog killed it
  bool failed = false;      // nothing ran: the zygote could not fork (see `error`)
  int64_t wall_ns = 0;      // request to reply (or to reaped), as the zygote saw it
  // The fork that made the child (the zygote's fork call), or, for a child that recycles itself, the
  // restore after this seed (recycle.h).
  int64_t fork_ns = 0;
  bool recycled = false;    // the child put itself back after this seed and waits for the next
  int64_t restored_pages = 0;  // ... copying back from its twin or dropping this many pages
  int64_t begun_ns = 0;     // the child began the seed (after reading its description)
  int64_t main_returned_ns = 0;  // the main module returned (it was compiled and ran)
  int64_t finished_ns = 0;       // the run ended (record written, about to exit)
  int64_t minflt = 0;            // the child's page faults (minor, major), from wait4
  int64_t majflt = 0;
  int64_t minflt_main_returned = 0;  // minor faults up to the main module's return
  int64_t utime_ns = 0;              // the child's CPU time
  int64_t stime_ns = 0;
  int64_t private_dirty_kb = 0;  // memory the child wrote itself, at the run's end (measure_memory only)
  char error[256] = {};
};

// Sent once by the zygote when it is booted and ready for requests.
struct ZygoteReady {
  int32_t pid = 0;
  int64_t boot_ns = 0;  // host time from the zygote's start to ready
};

// Message helpers for both ends. Each returns false when the socket failed or closed.
bool SendZygoteRequest(int fd, const ZygoteRequest& request);
bool ReceiveZygoteRequest(int fd, ZygoteRequest* request);
bool SendZygoteReply(int fd, const ZygoteReply& reply);
bool ReceiveZygoteReply(int fd, ZygoteReply* reply);
bool SendZygoteReady(int fd, const ZygoteReady& ready);
bool ReceiveZygoteReady(int fd, ZygoteReady* ready);

// The host's monotonic clock by system call, past loopsim's clock_gettime (which is virtual): for
// watchdogs and cost figures only, never for anything a simulated program sees.
int64_t HostMonotonicNs();

}  // namespace loopsim::node_host
