// A file description for model tests whose level the test sets by hand. Raise() sets bits and wakes
// watchers with them, as a driver does when data arrives; Lower() clears bits without a wake, as a read
// that drains a buffer does.
#pragma once

#include <cerrno>
#include <cstdint>

#include "fakeos/file_description.h"

namespace loopsim {

class TestDescription final : public FileDescription {
 public:
  void Raise(uint32_t bits) {
    level_ |= bits;
    Wake(bits);
  }
  void Lower(uint32_t bits) { level_ &= ~bits; }
  void set_counts(int64_t readable, int64_t writable) {
    readable_ = readable;
    writable_ = writable;
  }

  uint32_t Poll() const override { return level_; }
  int64_t ReadableCount() const override { return readable_; }
  int64_t WritableCount() const override { return writable_; }
  int64_t Read(void*, size_t) override { return -EAGAIN; }
  int64_t Write(const void*, size_t) override { return -EAGAIN; }

 private:
  uint32_t level_ = 0;
  int64_t readable_ = 0;
  int64_t writable_ = 0;
};

}  // namespace loopsim
