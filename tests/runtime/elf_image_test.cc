// ElfImage's lookups against plain scans of the same ELF files, read here without it: Find through the
// GNU hash table gives, for every defined name of the dynamic table, the first symbol of that name in
// table order; RoomAt (starts grouped by page) gives the distance to the nearest symbol start after
// each function, as a sorted list of every start does. On every object this test has loaded (libc, with
// its versioned duplicates, has no .symtab, so a broken hash lookup finds nothing), on Debian's libnode
// and on the official node binaries the build downloaded.
#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/inject/elf_image.h"

namespace loopsim::inject {
namespace {

// An ELF file's symbol tables and executable segments, read into memory.
class Reference {
 public:
  explicit Reference(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    file_.resize(std::filesystem::file_size(path));
    in.read(file_.data(), static_cast<std::streamsize>(file_.size()));
  }

  const Elf64_Ehdr& header() const { return *reinterpret_cast<const Elf64_Ehdr*>(file_.data()); }
  const Elf64_Shdr* sections() const { return reinterpret_cast<const Elf64_Shdr*>(file_.data() + header().e_shoff); }

  bool HasSection(uint32_t type) const {
    for (int i = 0; i < header().e_shnum; ++i) {
      if (sections()[i].sh_type == type) return true;
    }
    return false;
  }

  // Calls visit(name, symbol) for every defined symbol of the tables of `type`, in table order.
  template <typename Visit>
  void ForEachDefined(uint32_t type, Visit visit) const {
    for (int i = 0; i < header().e_shnum; ++i) {
      const Elf64_Shdr& table = sections()[i];
      if (table.sh_type != type) continue;
      const char* names = file_.data() + sections()[table.sh_link].sh_offset;
      const auto* syms = reinterpret_cast<const Elf64_Sym*>(file_.data() + table.sh_offset);
      for (size_t k = 0; k < table.sh_size / sizeof(Elf64_Sym); ++k) {
        const Elf64_Sym& s = syms[k];
        const int kind = ELF64_ST_TYPE(s.st_info);
        if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS || kind == STT_SECTION || kind == STT_FILE ||
            kind == STT_TLS || s.st_name == 0) {
          continue;
        }
        visit(std::string(names + s.st_name), s);
      }
    }
  }

  // The executable segments, file addresses.
  std::vector<std::pair<uint64_t, uint64_t>> Text() const {
    std::vector<std::pair<uint64_t, uint64_t>> text;
    const auto* ph = reinterpret_cast<const Elf64_Phdr*>(file_.data() + header().e_phoff);
    for (int i = 0; i < header().e_phnum; ++i) {
      if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
        text.emplace_back(ph[i].p_vaddr, ph[i].p_vaddr + ph[i].p_memsz);
      }
    }
    return text;
  }

 private:
  std::string file_;
};

// The ELF files to check: every object loaded here that has a file (not the vDSO), Debian's libnode,
// the downloaded node binaries.
std::vector<LoadedObject> Objects() {
  std::vector<LoadedObject> objects;
  for (const LoadedObject& object : LoadedObjects()) {
    if (std::filesystem::is_regular_file(object.path)) objects.push_back(object);
  }
  objects.push_back({LIBNODE_LIBRARY, 0});
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(LOOPSIM_THIRD_PARTY, ec)) {
    const std::filesystem::path node = entry.path() / "bin" / "node";
    if (entry.path().filename().string().rfind("node-", 0) == 0 && std::filesystem::exists(node)) {
      objects.push_back({node.string(), 0});
    }
  }
  return objects;
}

TEST(ElfImage, FindsTheFirstDefinitionOfEveryExportedName) {
  int hashed = 0;
  for (const LoadedObject& object : Objects()) {
    SCOPED_TRACE(object.path);
    absl::StatusOr<ElfImage> image = ElfImage::Open(object.path, object.base);
    ASSERT_TRUE(image.ok()) << image.status();
    const Reference file(object.path);
    if (file.HasSection(SHT_GNU_HASH)) ++hashed;
    std::map<std::string, uint64_t> first;
    file.ForEachDefined(SHT_DYNSYM, [&](const std::string& name, const Elf64_Sym& s) {
      first.try_emplace(name, s.st_value);
    });
    for (const auto& [name, value] : first) {
      std::optional<ElfSymbol> found = image->Find(name);
      ASSERT_TRUE(found.has_value()) << name;
      EXPECT_EQ(found->name, name);
      EXPECT_EQ(found->address, object.base + value) << name;
    }
    EXPECT_FALSE(image->Find("loopsim_defines_no_such_symbol").has_value());
  }
  EXPECT_GT(hashed, 0) << "no object has a GNU hash table: the lookup through it went untested";
}

TEST(ElfImage, FindsFunctionsOnlyTheFullSymbolTableHas) {
  const std::vector<LoadedObject> objects = LoadedObjects();
  const LoadedObject& self = objects.front();
  absl::StatusOr<ElfImage> image = ElfImage::Open(self.path, self.base);
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_TRUE(image->has_full_symbols());
  const Reference file(self.path);
  std::map<std::string, uint64_t> first;
  file.ForEachDefined(SHT_DYNSYM, [&](const std::string& name, const Elf64_Sym& s) {
    first.try_emplace(name, s.st_value);
  });
  file.ForEachDefined(SHT_SYMTAB, [&](const std::string& name, const Elf64_Sym& s) {
    first.try_emplace(name, s.st_value);
  });
  std::vector<std::string_view> names;
  for (const auto& [name, value] : first) {
    if (name.find("ElfImage") == std::string::npos) continue;
    std::optional<ElfSymbol> found = image->Find(name);
    ASSERT_TRUE(found.has_value()) << name;
    EXPECT_EQ(found->address, self.base + value) << name;
    names.push_back(name);
  }
  EXPECT_GT(names.size(), 10u);
  // Looked up together, with names no table has among them, in one scan of the full table.
  names.insert(names.begin() + names.size() / 2, "loopsim_defines_no_such_symbol");
  names.push_back("_ZN7loopsim6inject8ElfImage");
  const std::vector<std::optional<ElfSymbol>> found = image->FindAll(names);
  ASSERT_EQ(found.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const auto expected = first.find(std::string(names[i]));
    ASSERT_EQ(found[i].has_value(), expected != first.end()) << names[i];
    if (found[i]) {
      EXPECT_EQ(found[i]->address, self.base + expected->second) << names[i];
    }
  }
}

TEST(ElfImage, RoomReachesTheNearestLaterSymbolInItsSegment) {
  for (const LoadedObject& object : Objects()) {
    SCOPED_TRACE(object.path);
    absl::StatusOr<ElfImage> image = ElfImage::Open(object.path, object.base);
    ASSERT_TRUE(image.ok()) << image.status();
    const Reference file(object.path);
    const std::vector<std::pair<uint64_t, uint64_t>> text = file.Text();
    std::vector<uint64_t> starts, functions;
    for (uint32_t type : {uint32_t{SHT_DYNSYM}, uint32_t{SHT_SYMTAB}}) {
      file.ForEachDefined(type, [&](const std::string&, const Elf64_Sym& s) {
        starts.push_back(s.st_value);
        if (ELF64_ST_TYPE(s.st_info) == STT_FUNC) functions.push_back(s.st_value);
      });
    }
    std::sort(starts.begin(), starts.end());
    for (uint64_t f : functions) {
      uint64_t expected = 0;
      for (const auto& [start, end] : text) {
        if (f < start || f >= end) continue;
        const auto next = std::upper_bound(starts.begin(), starts.end(), f);
        expected = std::min(end, next != starts.end() ? *next : end) - f;
      }
      ASSERT_EQ(image->RoomAt(object.base + f), expected) << std::hex << f;
    }
  }
}

}  // namespace
}  // namespace loopsim::inject
