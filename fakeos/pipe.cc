// See pipe.h.
#include "fakeos/pipe.h"

#include <cerrno>
#include <cstring>

#include "fakeos/base/check.h"

namespace loopsim {

struct PipeEnd::Buffer {
  std::string data;
  size_t capacity = 0;
  PipeEnd* reader = nullptr;  // null once the read end is closed
  PipeEnd* writer = nullptr;  // null once the write end is closed
};

PipePair MakePipe(size_t capacity) {
  LS_CHECK(capacity > 0);
  auto buffer = std::make_shared<PipeEnd::Buffer>();
  buffer->capacity = capacity;
  PipePair pair{std::shared_ptr<PipeEnd>(new PipeEnd(buffer, true)),
                std::shared_ptr<PipeEnd>(new PipeEnd(buffer, false))};
  buffer->reader = pair.read.get();
  buffer->writer = pair.write.get();
  return pair;
}

PipeEnd::PipeEnd(std::shared_ptr<Buffer> buffer, bool read_end) : buffer_(std::move(buffer)), read_end_(read_end) {}

PipeEnd::~PipeEnd() {
  if (read_end_) {
    buffer_->reader = nullptr;
    buffer_->data.clear();
    if (buffer_->writer) buffer_->writer->Wake(kPollErr | kPollOut);
  } else {
    buffer_->writer = nullptr;
    if (buffer_->reader) buffer_->reader->Wake(kPollIn | kPollHup);
  }
}

uint32_t PipeEnd::Poll() const {
  const Buffer& b = *buffer_;
  if (read_end_) {
    uint32_t bits = b.data.empty() ? 0 : kPollIn;
    if (b.writer == nullptr) bits |= kPollIn | kPollHup;
    return bits;
  }
  if (b.reader == nullptr) return kPollOut | kPollErr;
  return b.data.size() < b.capacity ? kPollOut : 0;
}

int64_t PipeEnd::ReadableCount() const { return read_end_ ? static_cast<int64_t>(buffer_->data.size()) : 0; }

int64_t PipeEnd::WritableCount() const {
  return read_end_ ? 0 : static_cast<int64_t>(buffer_->capacity - buffer_->data.size());
}

int64_t PipeEnd::Read(void* buf, size_t len) {
  if (!read_end_) return -EBADF;
  Buffer& b = *buffer_;
  if (b.data.empty()) return b.writer == nullptr ? 0 : -EAGAIN;
  if (len == 0) return 0;
  const size_t n = std::min(len, b.data.size());
  std::memcpy(buf, b.data.data(), n);
  b.data.erase(0, n);
  // Space appeared: a writer waiting for it hears about it (Linux wakes writers on every read).
  if (b.writer) b.writer->Wake(kPollOut);
  return static_cast<int64_t>(n);
}

int64_t PipeEnd::Write(const void* buf, size_t len) {
  if (read_end_) return -EBADF;
  Buffer& b = *buffer_;
  if (b.reader == nullptr) return -EPIPE;
  if (len == 0) return 0;
  const size_t space = b.capacity - b.data.size();
  // Writes up to PIPE_BUF are all or nothing (a pipe smaller than that, which Linux never makes, only
  // keeps writes that fit it whole).
  const bool atomic = len <= std::min(kPipeBuf, b.capacity);
  if (space == 0 || (atomic && space < len)) return -EAGAIN;
  const size_t n = std::min(len, space);
  b.data.append(static_cast<const char*>(buf), n);
  b.reader->Wake(kPollIn);
  return static_cast<int64_t>(n);
}

namespace {

class OrphanedEnd final : public FileDescription {
 public:
  uint32_t Poll() const override { return kPollIn | kPollOut | kPollRdHup | kPollHup; }
  int64_t ReadableCount() const override { return 0; }
  int64_t WritableCount() const override { return 0; }
  int64_t Read(void*, size_t) override { return 0; }
  int64_t Write(const void*, size_t) override { return -EPIPE; }
};

}  // namespace

std::shared_ptr<FileDescription> MakeOrphanedEnd() { return std::make_shared<OrphanedEnd>(); }

}  // namespace loopsim
