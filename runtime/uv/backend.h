// The loop's view of its I/O backend: the one interface through which uv_run's poll phase learns which
// descriptors are ready. Implementations follow the readiness model of a platform's libuv (epoll on
// Linux; kqueue and IOCP are the other personalities DESIGN.md names).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakeos/kernel.h"

namespace loopsim::uv {

class Backend {
 public:
  virtual ~Backend() = default;
  // Sets the events (POLLIN/POLLOUT bits, as libuv's uv__io_t::pevents) the loop waits for on fd;
  // 0 removes fd. `d` is the kernel object behind fd.
  virtual void Update(int fd, FileDescription* d, unsigned events) = 0;
  // Takes up to `max` ready (fd, events) pairs, events as POLL* bits.
  virtual void Collect(std::vector<std::pair<int, unsigned>>* out, int max) = 0;
  // The kernel source that is signalled when something became ready.
  virtual SourceId source() const = 0;
  // Called after the callbacks of what Collect returned have run.
  virtual void AfterDispatch() {}
  // Whether uv_try_write can write to a pipe. Unix libuv writes to a pipe as to any non-blocking
  // descriptor; Windows libuv has no non-blocking pipe write and answers UV_EAGAIN for every pipe, so a
  // pipe write always completes through uv_write (src/win/stream.c, uv_try_write).
  virtual bool TryWriteToPipes() const { return true; }
  // Whether a pipe connect that succeeded at once is reported from the pending phase. Unix libuv waits
  // for the socket to poll writable (src/unix/pipe.c); Windows libuv queues the request as pending
  // (src/win/pipe.c, uv_pipe_connect).
  virtual bool PipeConnectCompletesPending() const { return false; }
};

// libuv's Linux backend: one epoll instance, level-triggered registrations.
std::unique_ptr<Backend> NewEpollBackend(Kernel& kernel);
// libuv's macOS/BSD backend: kqueue, one callback per reported filter.
std::unique_ptr<Backend> NewKqueueBackend(Kernel& kernel);
// libuv's Windows backend, as a completion port: packets in completion order, re-posted operations.
std::unique_ptr<Backend> NewIocpBackend(Kernel& kernel);
// The backend named "epoll", "kqueue" or "iocp"; null for any other name.
std::unique_ptr<Backend> NewBackend(const std::string& name, Kernel& kernel);

}  // namespace loopsim::uv
