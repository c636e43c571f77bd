// Signals between the simulated processes (the program and its node children, process.h), sent with
// uv_kill (process.kill) or uv_process_kill (ChildProcess.kill). As on Linux with libuv:
// - a signal some started handle watches is "caught": it is counted on each such handle and delivered
//   in the poll phase of the next loop iteration, in the order the handles were created (libuv's signal
//   pipe); the handles Node starts are unreferenced, so a loop with nothing else to do exits first;
// - a signal nobody watches takes its default action at once, inside uv_kill: ignored for SIGCHLD,
//   SIGWINCH, SIGURG and SIGCONT; otherwise the process ends, killed by that signal (for the program,
//   the run is finished first, so output and trace are complete; a child is stopped, process.cc).
// A process's signal handles are those on its own loops.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

// Started signal handles of every loop, in the order they were initialised.
std::vector<uv_signal_t*>& Started() {
  static std::vector<uv_signal_t*> started;
  return started;
}

}  // namespace

bool IgnoredByDefault(int signum) {
  return signum == SIGCHLD || signum == SIGWINCH || signum == SIGURG || signum == SIGCONT;
}

void SignalClose(uv_signal_t* h) { uv_signal_stop(h); }

void SignalLoopFork(uv_loop_t* loop) {
  for (uv_signal_t* h : Started()) {
    if (h->loop == loop) h->caught_signals = h->dispatched_signals = 0;
  }
}

void DispatchSignals(uv_loop_t* loop) {
  std::vector<uv_signal_t*> handles;
  for (uv_signal_t* h : Started()) {
    if (h->loop == loop) handles.push_back(h);
  }
  std::sort(handles.begin(), handles.end(), [](uv_signal_t* a, uv_signal_t* b) {
    return HandleId(reinterpret_cast<uv_handle_t*>(a)) < HandleId(reinterpret_cast<uv_handle_t*>(b));
  });
  for (uv_signal_t* h : handles) {
    // The list may change under the callbacks: only handles still started get their signals.
    while (std::find(Started().begin(), Started().end(), h) != Started().end() &&
           h->dispatched_signals < h->caught_signals) {
      ++h->dispatched_signals;
      const int signum = h->signum;
      RunCallback(reinterpret_cast<uv_handle_t*>(h), [h, signum] { h->signal_cb(h, signum); });
      if (h->flags & kSignalOneShot) uv_signal_stop(h);
    }
  }
  DispatchProcessExits(loop);
}

bool CatchSignal(uint32_t process, int signum) {
  bool caught = false;
  for (uv_signal_t* h : Started()) {
    if (h->signum != signum || State(h->loop).process != process) continue;
    if (h->flags & kSignalOneShotCaught) continue;  // the one signal it waits for came already
    if (h->flags & kSignalOneShot) h->flags |= kSignalOneShotCaught;
    ++h->caught_signals;
    K().Signal(State(h->loop).signals);
    caught = true;
  }
  return caught;
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_signal_init(uv_loop_t* loop, uv_signal_t* handle) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_SIGNAL);
  handle->signum = 0;
  handle->signal_cb = nullptr;
  handle->caught_signals = 0;
  handle->dispatched_signals = 0;
  return 0;
}

static int SignalStart(uv_signal_t* handle, uv_signal_cb signal_cb, int signum, bool oneshot) {
  if (IsClosing(reinterpret_cast<uv_handle_t*>(handle))) return UV_EINVAL;
  if (signum <= 0 || signum >= 65) return UV_EINVAL;
  if (IsActive(reinterpret_cast<uv_handle_t*>(handle)) && handle->signum == signum) {
    handle->signal_cb = signal_cb;
    return 0;
  }
  uv_signal_stop(handle);
  handle->signal_cb = signal_cb;
  handle->signum = signum;
  if (oneshot) handle->flags |= kSignalOneShot;
  Started().push_back(handle);
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  return 0;
}

int uv_signal_start(uv_signal_t* handle, uv_signal_cb signal_cb, int signum) {
  return SignalStart(handle, signal_cb, signum, false);
}

int uv_signal_start_oneshot(uv_signal_t* handle, uv_signal_cb signal_cb, int signum) {
  return SignalStart(handle, signal_cb, signum, true);
}

int uv_signal_stop(uv_signal_t* handle) {
  std::erase(Started(), handle);
  handle->flags &= ~(kSignalOneShot | kSignalOneShotCaught);
  HandleStop(reinterpret_cast<uv_handle_t*>(handle));
  handle->signum = 0;
  handle->caught_signals = handle->dispatched_signals = 0;
  return 0;
}

int uv_kill(int pid, int signum) {
  bool child = false;
  const int r = KillProcessByPid(pid, signum, &child);
  if (child) return r;
  const auto& host = K().host();
  if (pid != host.pid && pid != 0 && pid != -1) return UV_ESRCH;  // no other process exists
  if (signum < 0 || signum >= 65) return UV_EINVAL;
  if (signum == 0) return 0;
  if (CatchSignal(0, signum) || IgnoredByDefault(signum)) return 0;
  loopsim::runtime::Runtime::Get().Finish(loopsim::trace::stop::kSignal, 128 + signum,
                                          "killed by signal " + std::to_string(signum));
  signal(signum, SIG_DFL);
  raise(signum);
  _exit(128 + signum);
}

}  // extern "C"
