// Anonymous pipes: a one-way byte channel between a read end and a write end, each a FileDescription.
// Bytes move inside the kernel with no latency (a write wakes the reader at once, as in Linux); the
// buffer holds `capacity` bytes (64 KiB by default). Writes of at most kPipeBuf bytes (that fit the
// buffer at all) are atomic: they go in whole or fail with -EAGAIN. Closing the write end gives the
// reader end-of-file and kPollHup; closing the read end gives the writer -EPIPE and kPollErr.
//
// Fault model: none; no fault site covers pipes (faults.h names the network's and the disk's).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "fakeos/file_description.h"

namespace loopsim {

class PipeEnd;

struct PipePair {
  std::shared_ptr<PipeEnd> read;
  std::shared_ptr<PipeEnd> write;
};

// Creates a pipe. Each end lives as long as someone holds it; dropping it is closing it.
PipePair MakePipe(size_t capacity = 64 * 1024);

// One end of a two-way channel (a unix socket pair) whose other end is already closed, as a child that
// never started leaves the pipes libuv made for it: reads give end-of-file, writes -EPIPE.
std::shared_ptr<FileDescription> MakeOrphanedEnd();

class PipeEnd final : public FileDescription {
 public:
  static constexpr size_t kPipeBuf = 4096;

  ~PipeEnd() override;

  uint32_t Poll() const override;
  int64_t ReadableCount() const override;
  int64_t WritableCount() const override;
  int64_t Read(void* buf, size_t len) override;
  int64_t Write(const void* buf, size_t len) override;

 private:
  struct Buffer;
  friend PipePair MakePipe(size_t capacity);
  PipeEnd(std::shared_ptr<Buffer> buffer, bool read_end);

  std::shared_ptr<Buffer> buffer_;
  bool read_end_;
};

}  // namespace loopsim
