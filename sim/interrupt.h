// Stopping a sweep from outside: Ctrl-C, the SIGTERM a CI runner sends when a job's time is up, a
// hang-up. The first such signal asks the sweep to stop: the handler kills the process group of every
// seed running (they are in groups of their own, which the terminal's signals do not reach), no seed
// starts after it, and explore reports the seeds that finished, marked as interrupted, and exits
// 128 + the signal. A second one ends loopsim at once, as the signal would.
#pragma once

#include <sys/types.h>

namespace loopsim::sim {

// Installs the handlers for SIGINT, SIGTERM and SIGHUP; later calls do nothing.
void InstallStopHandlers();

// The signal that asked the sweep to stop, or 0.
int StopSignal();

// The process groups to kill on a stop (a seed's `loopsim run`, a zygote with its seeds). A group tracked
// after the stop was asked is killed at once.
void TrackGroup(pid_t group);
void ForgetGroup(pid_t group);

}  // namespace loopsim::sim
