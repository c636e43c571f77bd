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

#include "absl/container/flat_hash_map.h"
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
  // A defined symbol of that name, exported ones first, then the full table; null if none.
  std::optional<ElfSymbol> Find(std::string_view name) const;
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
  };
  struct Segment {
    uintptr_t start, end;
  };

  ElfImage() = default;
  void Release();
  // Calls visit(symbol, name) for the defined symbols of `table` whose names start with `prefix`.
  template <typename Visit>
  void ForEachDefined(const Table& table, std::string_view prefix, Visit visit) const;

  std::string path_;
  uintptr_t base_ = 0;
  const uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  const Table* symtab_ = nullptr;  // &full_ when the file has .symtab
  Table full_;
  Table dynamic_;
  bool uses_cet_ = false;
  mutable std::vector<uintptr_t> starts_;  // every defined symbol's address, sorted, unique (on first use)
  // Every defined name, exported ones first (on the first Find: node's tables hold 200,000 symbols,
  // and the host looks up dozens of names, each a scan of both tables without it).
  mutable absl::flat_hash_map<std::string_view, ElfSymbol> by_name_;
  std::vector<Segment> text_;      // executable PT_LOAD segments, run-time addresses
};

}  // namespace loopsim::inject
