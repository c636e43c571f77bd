// The symbols of an ELF object loaded in this process (the executable or a shared library), read from
// its file: the dynamic symbol table (what the object exports) and, when the object keeps it, the full
// symbol table (.symtab, internal functions too). The injector uses it to find the entries it
// redirects, how many bytes each entry has before the next symbol (room for a jump), and internal
// functions by name.
//
// Addresses are run-time addresses (the object's load base added). The file stays mapped, read-only,
// for the image's lifetime; symbol names point into it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace loopsim::inject {

struct ElfSymbol {
  std::string_view name;
  uintptr_t address = 0;
  uint64_t size = 0;
  bool function = false;
};

// One object of this process's link map.
struct LoadedObject {
  std::string path;  // the file it was loaded from (the executable's is resolved through /proc/self/exe)
  uintptr_t base = 0;
};

// Every object loaded in this process, the executable first, in link-map order.
std::vector<LoadedObject> LoadedObjects();
// The loaded object one of whose segments holds `address`.
std::optional<LoadedObject> ObjectContaining(uintptr_t address);

class ElfImage {
 public:
  // Reads the symbols of the object loaded at `base` from the file at `path`.
  static absl::StatusOr<ElfImage> Open(const std::string& path, uintptr_t base);

  ElfImage(ElfImage&& other) noexcept;
  ElfImage& operator=(ElfImage&& other) noexcept;
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;
  ~ElfImage();

  const std::string& path() const { return path_; }
  // True when the file has its full symbol table, so internal functions can be found and the room
  // after an entry is bounded by every symbol, not only the exported ones.
  bool has_full_symbols() const { return symtab_ != nullptr; }
  // The object asks for Intel CET (indirect-branch tracking or shadow stacks) in its GNU property note.
  bool uses_cet() const { return uses_cet_; }

  // The object's exported definitions (dynamic symbol table, defined, global or weak, default
  // visibility) whose names start with `prefix`.
  std::vector<ElfSymbol> Exported(std::string_view prefix) const;
  // A defined symbol of that name, exported ones first, then the full table; null if none. Of several
  // in one table, the first.
  std::optional<ElfSymbol> Find(std::string_view name) const;
  // Find for each of `names`, with one scan of the full table for all those not exported.
  std::vector<std::optional<ElfSymbol>> FindAll(const std::vector<std::string_view>& names) const;
  // Defined symbols of the full (else dynamic) table whose names start with `prefix`.
  std::vector<ElfSymbol> AllWithPrefix(std::string_view prefix) const;
  // Bytes from `address` to the next symbol that starts after it, or to the end of the executable
  // segment holding it; 0 when `address` is in no executable segment.
  uint64_t RoomAt(uintptr_t address) const;
  // The object's code: the lowest and highest address of its executable segments.
  std::pair<uintptr_t, uintptr_t> TextRange() const;

 private:
  struct Table {
    const void* symbols = nullptr;  // Elf64_Sym[count]
    size_t count = 0;
    const char* names = nullptr;
    size_t names_size = 0;
    // The first 8 bytes of each entry's name, zero from its end on; 0 for an entry that is no defined
    // symbol. Read on the table's first scan, so that the scans after it compare these and read the
    // few names that match (node's names are ten megabytes).
    mutable std::vector<uint64_t> heads;
  };
  struct Segment {
    uintptr_t start, end;
  };

  ElfImage() = default;
  void Release();
  // Calls visit(symbol, name) for the defined symbols of `table` whose names start with `prefix`.
  template <typename Visit>
  void ForEachDefined(const Table& table, std::string_view prefix, Visit visit) const;
  const std::vector<uint64_t>& Heads(const Table& table) const;
  // Whether entry i of `table` is a defined symbol named `name`.
  bool IsNamed(const Table& table, size_t i, std::string_view name) const;
  ElfSymbol SymbolAt(const Table& table, size_t i) const;
  // The first defined symbol named `name` of the dynamic table, found through its GNU hash table.
  std::optional<ElfSymbol> FindExported(std::string_view name) const;
  // Fills starts_ and page_starts_.
  void IndexStarts() const;

  std::string path_;
  uintptr_t base_ = 0;
  const uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  const Table* symtab_ = nullptr;  // &full_ when the file has .symtab
  Table full_;
  Table dynamic_;
  bool uses_cet_ = false;
  // The dynamic table's GNU hash section (.gnu.hash), null when it has none.
  const uint32_t* gnu_hash_ = nullptr;
  // Every defined symbol's address in an executable segment, grouped by the 4 KiB page (counted from
  // the text range's start) it falls in: those of page p are starts_[page_starts_[p]] up to
  // starts_[page_starts_[p + 1]], unordered. Built on the first RoomAt.
  mutable std::vector<uintptr_t> starts_;
  mutable std::vector<uint32_t> page_starts_;
  std::vector<Segment> text_;  // executable PT_LOAD segments, run-time addresses
};

}  // namespace loopsim::inject
