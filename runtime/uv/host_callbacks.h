// The host's own wake-ups of the simulated loop, kept out of the program's run. Node's platform runs
// V8's foreground tasks from an async handle its task runner sends to (PerIsolatePlatformData::
// FlushTasks), and each delayed one from a timer of its own (RunForegroundTask). What V8 posts follows
// its heap (a scavenge task when the young generation fills up), not the program, so a handle made with
// one of these callbacks changes nothing a seed is made of:
// - a send to such an async handle does not wake the loop; a pending one runs at the start of the next
//   poll phase, before the loop waits, as V8's background work does (runtime.h: host work);
// - such a timer is kept apart from the program's timers: it takes no handle id and no start number,
//   does not shorten the poll's wait (node unreferences it, so it keeps no loop alive either), and runs
//   at the start of the first poll phase at or after its deadline;
// - their events are not traced and their callbacks (and close callbacks) are charged no virtual time,
//   so they make no decisions.
// So a seed's loop iterations, handle ids, timer start numbers, virtual time and decisions are the same
// however often the platform runs, e.g. whether or not the heap it forked from was collected. What
// differs from libuv: the platform never ends a poll's wait, so a delayed task falls due no earlier
// than the program's next wake-up, and JavaScript a platform task runs (a FinalizationRegistry's
// cleanup, an Atomics.waitAsync timeout) runs there, uncharged.
#pragma once

#include <uv.h>

namespace loopsim::uv {

struct HostCallbacks {
  uv_async_cb async_cb = nullptr;  // an async handle made with it is the host's
  uv_timer_cb timer_cb = nullptr;  // a timer started with it is the host's
};
// Set before the host makes its handles (the Node host does while it injects itself, before node starts).
void SetHostCallbacks(HostCallbacks callbacks);

}  // namespace loopsim::uv
