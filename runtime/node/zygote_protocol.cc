// See zygote_protocol.h.
#include "runtime/node/zygote_protocol.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loopsim::node_host {

int64_t HostMonotonicNs() {
  timespec ts{};
  ::syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);  // lint: allow-host-time (zygote watchdog and cost figures)
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

namespace {

// Large enough for any command line a request carries; SOCK_SEQPACKET keeps message boundaries.
constexpr size_t kMaxMessage = 1 << 20;

bool SendAll(int fd, const void* data, size_t len) {
  for (;;) {
    const ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(len)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// Receives one message; false on error or when the peer closed the socket. Asks for the message's size
// first, so a small message costs a small buffer (in a zygote, every page touched is a page its next
// child may copy).
bool ReceiveMessage(int fd, std::string* out) {
  for (;;) {
    char probe;
    const ssize_t size = ::recv(fd, &probe, 1, MSG_PEEK | MSG_TRUNC);
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0 || static_cast<size_t>(size) > kMaxMessage) return false;
    out->resize(static_cast<size_t>(size));
    const ssize_t n = ::recv(fd, out->data(), out->size(), 0);
    if (n < 0 && errno == EINTR) continue;
    return n == size;
  }
}

template <typename T>
bool ReceiveStruct(int fd, T* value) {
  std::string message;
  if (!ReceiveMessage(fd, &message) || message.size() != sizeof(T)) return false;
  std::memcpy(value, message.data(), sizeof(T));
  return true;
}

}  // namespace

bool SendZygoteRequest(int fd, const ZygoteRequest& request) {
  // The timeout and the memory flag, then NUL-terminated strings: stdout path, stderr path, the seed.
  const uint64_t header[2] = {request.timeout_ms, request.measure_memory ? 1u : 0u};
  std::string message(sizeof(header), '\0');
  std::memcpy(message.data(), header, sizeof(header));
  for (const std::string* s : {&request.stdout_path, &request.stderr_path, &request.seed}) {
    message.append(*s).push_back('\0');
  }
  return message.size() <= kMaxMessage && SendAll(fd, message.data(), message.size());
}

bool ReceiveZygoteRequest(int fd, ZygoteRequest* request) {
  std::string message;
  uint64_t header[2] = {};
  if (!ReceiveMessage(fd, &message) || message.size() < sizeof(header)) return false;
  std::memcpy(header, message.data(), sizeof(header));
  request->timeout_ms = header[0];
  request->measure_memory = header[1] != 0;
  std::vector<std::string> fields;
  size_t start = sizeof(header);
  while (start < message.size()) {
    const size_t end = message.find('\0', start);
    if (end == std::string::npos) return false;
    fields.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  if (fields.size() != 3) return false;
  request->stdout_path = fields[0];
  request->stderr_path = fields[1];
  request->seed = fields[2];
  return true;
}

bool SendZygoteReply(int fd, const ZygoteReply& reply) { return SendAll(fd, &reply, sizeof(reply)); }
bool ReceiveZygoteReply(int fd, ZygoteReply* reply) { return ReceiveStruct(fd, reply); }
bool SendZygoteReady(int fd, const ZygoteReady& ready) { return SendAll(fd, &ready, sizeof(ready)); }
bool ReceiveZygoteReady(int fd, ZygoteReady* ready) { return ReceiveStruct(fd, ready); }

}  // namespace loopsim::node_host
