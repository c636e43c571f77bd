// See interrupt.h. The handler only reads atomics and calls kill(2), both async-signal-safe.
#include "sim/interrupt.h"

#include <signal.h>

#include <atomic>
#include <mutex>

namespace loopsim::sim {

namespace {

constexpr size_t kMaxGroups = 1024;
std::atomic<pid_t> g_groups[kMaxGroups];
std::atomic<int> g_stop_signal{0};

void KillGroups() {
  for (std::atomic<pid_t>& g : g_groups) {
    const pid_t group = g.load();
    if (group > 0) ::kill(-group, SIGKILL);
  }
}

void OnStopSignal(int sig) {
  int none = 0;
  if (!g_stop_signal.compare_exchange_strong(none, sig)) {
    // The second one: end now, as the signal would.
    KillGroups();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    return;
  }
  KillGroups();
}

}  // namespace

void InstallStopHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction sa {};
      sa.sa_handler = OnStopSignal;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

int StopSignal() { return g_stop_signal.load(); }

void TrackGroup(pid_t group) {
  for (std::atomic<pid_t>& g : g_groups) {
    pid_t empty = 0;
    if (g.compare_exchange_strong(empty, group)) break;
  }
  if (StopSignal() != 0) ::kill(-group, SIGKILL);  // started as the stop came: it must not run on
}

void ForgetGroup(pid_t group) {
  for (std::atomic<pid_t>& g : g_groups) {
    pid_t mine = group;
    if (g.compare_exchange_strong(mine, 0)) return;
  }
}

}  // namespace loopsim::sim
