// The libuv version the simulated libuv follows, and every behaviour a program can see that changed
// between libuv 1.44 (Debian's libnode 18) and 1.52 (Node 24 and 26). The version is a process property
// (runtime::RuntimeOptions::libuv_version, UV_VERSION_HEX form): the Node host sets it from the binary's
// own uv_version(); library users and the tests get 1.44.2 (runtime::kDefaultLibuvVersion) unless they
// ask.
//
// Each change is one enumerator, named for what holds from that version on, whose value is the first
// libuv release with it; the comment names the libuv file (and pull request) it follows. The code that
// behaves differently asks Follows(change) at the one place the behaviour lives. Changes that a program
// cannot observe under the simulation are listed, with the reason, in runtime/uv/README.md.
#pragma once

#include <cstdint>

namespace loopsim::uv {

constexpr uint32_t UvVersion(uint32_t major, uint32_t minor, uint32_t patch) {
  return (major << 16) | (minor << 8) | patch;
}

enum class Change : uint32_t {
  // uv_run runs the due timers at the end of each iteration, after the closing handles, and (in
  // UV_RUN_DEFAULT) once before the first iteration; UV_RUN_ONCE and UV_RUN_NOWAIT no longer start with
  // them. src/unix/core.c and src/win/core.c, uv_run (#3927).
  kTimersEndTheIteration = UvVersion(1, 45, 0),
  // The timers before the first iteration run only when the loop is alive and not stopped.
  // src/unix/core.c and src/win/core.c, uv_run (#4048).
  kTimersBeforeTheLoopNeedALiveLoop = UvVersion(1, 46, 0),
  // uv__run_timers collects every due timer first, then runs them: a timer a callback re-arms to be due
  // at once waits for the next run, one an earlier callback stopped does not run. src/timer.c (#4250).
  kTimersRunInBatches = UvVersion(1, 48, 0),

  // A stream's write attempt goes on to the next queued request, up to 32 more, instead of stopping
  // after the first one it completes. src/unix/stream.c, uv__write (#3728).
  kWritesContinueToTheNextRequest = UvVersion(1, 45, 0),
  // A listening stream accepts one connection per readiness report, and accept errors (EMFILE, ...)
  // no longer reach the connection callback. Before, it accepted while connections waited, on kqueue
  // at most as many as kevent reported (the watcher's rcount, src/unix/kqueue.c). src/unix/stream.c,
  // uv__server_io (#3696). Windows libuv hands over one connection per completed accept in every
  // version, and so does the iocp personality (backend.h, AcceptsOnePerCompletion).
  kAcceptsOneConnectionPerWakeup = UvVersion(1, 45, 0),
  // A hang-up reported together with readability no longer ends the stream after a short read: the end
  // of file comes from a read that returns 0; only a hang-up without readability ends it at once.
  // src/unix/stream.c, uv__stream_io and uv__read (#4997).
  kHangupWithDataWaitsForTheRead = UvVersion(1, 52, 0),

  // uv_write and uv_try_write refuse more than 1024 * 1024 buffers (a sign-conversion guard).
  // src/unix/stream.c, uv__check_before_write (#5014).
  kWritesRefuseHugeBufferCounts = UvVersion(1, 52, 0),

  // Pipe names: uv_pipe_bind/uv_pipe_connect go through uv_pipe_bind2/uv_pipe_connect2, which keep up
  // to sizeof(sun_path) (108) bytes of a long name instead of 107, refuse an empty name, and refuse
  // UV_PIPE_NO_TRUNCATE names that do not fit. src/unix/pipe.c (#4030, #4040).
  kPipeNamesKeep108Bytes = UvVersion(1, 46, 0),
  // A pipe name with a NUL byte after its first is refused. src/unix/pipe.c (#4209).
  kPipeNamesRefuseEmbeddedNul = UvVersion(1, 48, 0),
  // An abstract pipe name is as long as the caller says instead of filling sun_path with NULs.
  // src/unix/pipe.c, uv_pipe_bind2 and uv_pipe_connect2 (#4266).
  kAbstractPipeNamesKeepTheirLength = UvVersion(1, 48, 0),
  // uv_pipe_connect reports a name uv_pipe_connect2 refuses through its callback; in 1.46 and 1.47 it
  // dropped the error and the callback never came. src/unix/pipe.c (#4202).
  kPipeConnectReportsRefusedNames = UvVersion(1, 48, 0),
  // Binding a pipe to an empty name autobinds it in Linux's abstract namespace. src/unix/pipe.c (#4499).
  kPipeEmptyNameAutobinds = UvVersion(1, 49, 0),
  // Abstract pipe names (a leading NUL) may hold more NULs. src/unix/pipe.c (#4737).
  kAbstractPipeNamesMayHoldNul = UvVersion(1, 51, 0),
  // Functions that fill a caller's buffer refuse a null buffer, a null size or a zero size with
  // UV_EINVAL, and an abstract pipe name needs no room for a NUL. src/unix/pipe.c, src/uv-common.c
  // uv_fs_event_getpath, src/fs-poll.c uv_fs_poll_getpath (commits 31ea3411c and c6d43bea0).
  kBufferArgumentsAreChecked = UvVersion(1, 50, 0),

  // UV_TCP_REUSEPORT and UV_UDP_REUSEPORT exist: on Linux several sockets share a port and the kernel
  // spreads connections and datagrams over them; elsewhere the flags fail with UV_ENOTSUP. Before,
  // uv_udp_bind refused the unknown UDP flag and uv_tcp_bind ignored the TCP one. src/unix/tcp.c,
  // src/unix/udp.c (#4419).
  kReusePortFlags = UvVersion(1, 49, 0),

  // TCP keep-alive with a zero delay is refused by libuv itself: with UV_EPERM (a bare -1) in 1.48,
  // with UV_EINVAL from 1.49 (before 1.48, Linux's setsockopt refuses it with EINVAL).
  // src/unix/tcp.c, uv__tcp_keepalive (#4275, #4350).
  kKeepaliveZeroDelayRefusedByLibuv = UvVersion(1, 48, 0),
  kKeepaliveZeroDelayIsEinval = UvVersion(1, 49, 0),

  // uv_fs_utime and friends: INFINITY means now and NAN leaves the time unchanged. src/unix/fs.c,
  // uv__fs_to_timespec (#4702).
  kUtimeInfinityIsNowNanIsOmit = UvVersion(1, 51, 0),
  // uv_fs_utime and friends keep nanoseconds instead of truncating to microseconds. src/unix/fs.c,
  // uv__fs_to_timespec (#4951).
  kUtimeKeepsNanoseconds = UvVersion(1, 52, 0),
  // uv_fs_copyfile gives the copy the source's access and modification times (as `cp -p`).
  // src/unix/fs.c, uv__fs_copyfile (#4396).
  kCopyfileKeepsTimes = UvVersion(1, 49, 0),
  // uv_statfs_t reports the fragment size in f_frsize (1.44's f_spare[0]). src/unix/fs.c (#4984).
  kStatfsReportsFrsize = UvVersion(1, 52, 0),

  // A machine without a memory limit reports UINT64_MAX from uv_get_constrained_memory, as libuv reads
  // cgroup v2's "max" (before, a cgroup v2 machine reported 0, "unknown"). src/unix/linux.c (#3753).
  kUnlimitedMemoryIsUint64Max = UvVersion(1, 45, 0),

  // uv_loop_fork forgets the signals a loop's handles caught but did not dispatch. src/unix/signal.c,
  // uv__signal_loop_fork (#3485).
  kLoopForkResetsSignalCounts = UvVersion(1, 47, 0),
  // uv_loop_configure knows UV_LOOP_USE_IO_URING_SQPOLL (accepted on Linux). src/unix/loop.c (#4492).
  kLoopConfigureKnowsSqpoll = UvVersion(1, 49, 0),
};

// The oldest and newest versions the simulation knows; runtime options outside them are refused.
inline constexpr uint32_t kOldestLibuvVersion = UvVersion(1, 44, 0);
inline constexpr uint32_t kNewestLibuvVersion = UvVersion(1, 52, 1);

// Whether the simulation follows `change`: the libuv version it runs as is at least the change's.
bool Follows(Change change);

// The version the simulation runs as.
uint32_t LibuvVersion();

}  // namespace loopsim::uv
