// See elf_image.h. Only 64-bit little-endian x86-64 objects are read; anything else is an error.
#include "runtime/inject/elf_image.h"
#include "runtime/inject/status_text.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "absl/status/status.h"

namespace loopsim::inject {

namespace {

// GNU property note: the x86 feature bits an object asks for.
constexpr uint32_t kX86FeatureAnd = 0xc0000002;  // GNU_PROPERTY_X86_FEATURE_1_AND
constexpr uint32_t kFeatureIbt = 1;
constexpr uint32_t kFeatureShstk = 2;

bool IsDefined(const Elf64_Sym& s) {
  return s.st_shndx != SHN_UNDEF && s.st_shndx != SHN_ABS && ELF64_ST_TYPE(s.st_info) != STT_SECTION &&
         ELF64_ST_TYPE(s.st_info) != STT_FILE && ELF64_ST_TYPE(s.st_info) != STT_TLS && s.st_name != 0;
}

std::string ExecutablePath() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  buf[n] = '\0';
  return buf;
}

// Scans a GNU property note's descriptors for the x86 CET bits.
bool NoteAsksForCet(const uint8_t* note, size_t size) {
  size_t at = 0;
  while (at + sizeof(Elf64_Nhdr) <= size) {
    const auto* h = reinterpret_cast<const Elf64_Nhdr*>(note + at);
    const size_t name_at = at + sizeof(Elf64_Nhdr);
    const size_t desc_at = name_at + ((h->n_namesz + 3) & ~3u);
    const size_t next = desc_at + ((h->n_descsz + 7) & ~7u);
    if (desc_at + h->n_descsz > size) return false;
    if (h->n_type == NT_GNU_PROPERTY_TYPE_0 && h->n_namesz == 4 && std::memcmp(note + name_at, "GNU", 4) == 0) {
      size_t p = desc_at;
      while (p + 8 <= desc_at + h->n_descsz) {
        uint32_t type, datasz;
        std::memcpy(&type, note + p, 4);
        std::memcpy(&datasz, note + p + 4, 4);
        if (type == kX86FeatureAnd && datasz >= 4) {
          uint32_t bits;
          std::memcpy(&bits, note + p + 8, 4);
          if (bits & (kFeatureIbt | kFeatureShstk)) return true;
        }
        p += 8 + ((datasz + 7) & ~7u);
      }
    }
    at = next;
  }
  return false;
}

}  // namespace

std::vector<LoadedObject> LoadedObjects() {
  std::vector<LoadedObject> out;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto* objects = static_cast<std::vector<LoadedObject>*>(data);
        std::string path = info->dlpi_name != nullptr ? info->dlpi_name : "";
        if (objects->empty() && path.empty()) path = ExecutablePath();
        if (!path.empty()) objects->push_back({path, static_cast<uintptr_t>(info->dlpi_addr)});
        return 0;
      },
      &out);
  return out;
}

std::optional<LoadedObject> ObjectContaining(uintptr_t address) {
  struct Search {
    uintptr_t address;
    bool first = true;
    std::optional<LoadedObject> found;
  } search{address, true, std::nullopt};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        const bool executable = s->first;
        s->first = false;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type != PT_LOAD || s->address < start || s->address >= start + ph.p_memsz) continue;
          std::string path = info->dlpi_name != nullptr ? info->dlpi_name : "";
          if (executable && path.empty()) path = ExecutablePath();
          s->found = LoadedObject{path, static_cast<uintptr_t>(info->dlpi_addr)};
          return 1;
        }
        return 0;
      },
      &search);
  return search.found;
}

absl::StatusOr<ElfImage> ElfImage::Open(const std::string& path, uintptr_t base) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(Cat("cannot open ", path, ": ", std::strerror(errno)));
  struct stat st;
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(sizeof(Elf64_Ehdr))) {
    ::close(fd);
    return absl::InvalidArgumentError(Cat(path, " is not an ELF object"));
  }
  void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return absl::InternalError(Cat("cannot map ", path, ": ", std::strerror(errno)));

  ElfImage image;
  image.path_ = path;
  image.base_ = base;
  image.map_ = static_cast<const uint8_t*>(map);
  image.map_size_ = static_cast<size_t>(st.st_size);
  const uint8_t* m = image.map_;
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(m);
  if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64) {
    return absl::InvalidArgumentError(Cat(path, " is not a 64-bit x86-64 ELF object"));
  }
  const auto in_file = [&](uint64_t off, uint64_t size) { return off <= image.map_size_ && size <= image.map_size_ - off; };
  if (!in_file(eh->e_phoff, uint64_t{eh->e_phnum} * sizeof(Elf64_Phdr)) ||
      !in_file(eh->e_shoff, uint64_t{eh->e_shnum} * sizeof(Elf64_Shdr))) {
    return absl::InvalidArgumentError(Cat(path, ": truncated ELF headers"));
  }
  const auto* ph = reinterpret_cast<const Elf64_Phdr*>(m + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
      image.text_.push_back({base + ph[i].p_vaddr, base + ph[i].p_vaddr + ph[i].p_memsz});
    }
    if ((ph[i].p_type == PT_GNU_PROPERTY || ph[i].p_type == PT_NOTE) && in_file(ph[i].p_offset, ph[i].p_filesz)) {
      image.uses_cet_ = image.uses_cet_ || NoteAsksForCet(m + ph[i].p_offset, ph[i].p_filesz);
    }
  }
  const auto* sh = reinterpret_cast<const Elf64_Shdr*>(m + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM) continue;
    if (sh[i].sh_link >= eh->e_shnum) continue;
    const Elf64_Shdr& names = sh[sh[i].sh_link];
    if (!in_file(sh[i].sh_offset, sh[i].sh_size) || !in_file(names.sh_offset, names.sh_size)) {
      return absl::InvalidArgumentError(Cat(path, ": truncated symbol table"));
    }
    Table& t = sh[i].sh_type == SHT_SYMTAB ? image.full_ : image.dynamic_;
    t.symbols = m + sh[i].sh_offset;
    t.count = sh[i].sh_size / sizeof(Elf64_Sym);
    t.names = reinterpret_cast<const char*>(m + names.sh_offset);
    t.names_size = names.sh_size;
  }
  if (image.dynamic_.symbols == nullptr) return absl::InvalidArgumentError(Cat(path, " has no dynamic symbols"));
  if (image.full_.symbols != nullptr) image.symtab_ = &image.full_;

  return image;
}

template <typename Visit>
void ElfImage::ForEachDefined(const Table& table, std::string_view prefix, Visit visit) const {
  const auto* syms = static_cast<const Elf64_Sym*>(table.symbols);
  for (size_t i = 0; i < table.count; ++i) {
    const Elf64_Sym& s = syms[i];
    if (!IsDefined(s) || s.st_name >= table.names_size) continue;
    const char* name = table.names + s.st_name;
    const size_t left = table.names_size - s.st_name;
    if (!prefix.empty() && (prefix.size() > left || std::memcmp(name, prefix.data(), prefix.size()) != 0)) continue;
    visit(s, std::string_view(name, strnlen(name, left)));
  }
}

std::vector<ElfSymbol> ElfImage::Exported(std::string_view prefix) const {
  std::vector<ElfSymbol> out;
  ForEachDefined(dynamic_, prefix, [&](const Elf64_Sym& s, std::string_view name) {
    const int bind = ELF64_ST_BIND(s.st_info);
    if ((bind != STB_GLOBAL && bind != STB_WEAK) || ELF64_ST_VISIBILITY(s.st_other) != STV_DEFAULT) return;
    out.push_back({name, base_ + s.st_value, s.st_size, ELF64_ST_TYPE(s.st_info) == STT_FUNC});
  });
  return out;
}

std::optional<ElfSymbol> ElfImage::Find(std::string_view wanted) const {
  if (by_name_.empty()) {
    by_name_.reserve(dynamic_.count + full_.count);
    for (const Table* t : {&dynamic_, &full_}) {
      ForEachDefined(*t, "", [&](const Elf64_Sym& s, std::string_view name) {
        by_name_.try_emplace(name, ElfSymbol{name, base_ + s.st_value, s.st_size, ELF64_ST_TYPE(s.st_info) == STT_FUNC});
      });
    }
  }
  const auto found = by_name_.find(wanted);
  if (found == by_name_.end()) return std::nullopt;
  return found->second;
}

std::vector<ElfSymbol> ElfImage::AllWithPrefix(std::string_view prefix) const {
  std::vector<ElfSymbol> out;
  ForEachDefined(symtab_ != nullptr ? *symtab_ : dynamic_, prefix, [&](const Elf64_Sym& s, std::string_view name) {
    out.push_back({name, base_ + s.st_value, s.st_size, ELF64_ST_TYPE(s.st_info) == STT_FUNC});
  });
  return out;
}

uint64_t ElfImage::RoomAt(uintptr_t address) const {
  if (starts_.empty()) {
    // Only starts in executable segments can bound the room (it ends at its segment's end anyway).
    const auto in_text = [this](uintptr_t a) {
      return std::any_of(text_.begin(), text_.end(), [a](const Segment& seg) { return a >= seg.start && a < seg.end; });
    };
    for (const Table* t : {&full_, &dynamic_}) {
      ForEachDefined(*t, "", [&](const Elf64_Sym& s, std::string_view) {
        if (in_text(base_ + s.st_value)) starts_.push_back(base_ + s.st_value);
      });
    }
    std::sort(starts_.begin(), starts_.end());
    starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
  }
  for (const Segment& seg : text_) {
    if (address < seg.start || address >= seg.end) continue;
    uintptr_t end = seg.end;
    const auto next = std::upper_bound(starts_.begin(), starts_.end(), address);
    if (next != starts_.end() && *next < end) end = *next;
    return end - address;
  }
  return 0;
}

std::pair<uintptr_t, uintptr_t> ElfImage::TextRange() const {
  std::pair<uintptr_t, uintptr_t> range{UINTPTR_MAX, 0};
  for (const Segment& seg : text_) {
    range.first = std::min(range.first, seg.start);
    range.second = std::max(range.second, seg.end);
  }
  return range;
}

void ElfImage::Release() {
  if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), map_size_);
  map_ = nullptr;
}

ElfImage::ElfImage(ElfImage&& other) noexcept { *this = std::move(other); }

ElfImage& ElfImage::operator=(ElfImage&& other) noexcept {
  if (this == &other) return *this;
  Release();
  path_ = std::move(other.path_);
  base_ = other.base_;
  map_ = other.map_;
  map_size_ = other.map_size_;
  full_ = other.full_;
  dynamic_ = other.dynamic_;
  symtab_ = other.symtab_ != nullptr ? &full_ : nullptr;
  uses_cet_ = other.uses_cet_;
  starts_ = std::move(other.starts_);
  by_name_ = std::move(other.by_name_);
  text_ = std::move(other.text_);
  other.map_ = nullptr;
  other.symtab_ = nullptr;
  return *this;
}

ElfImage::~ElfImage() { Release(); }

}  // namespace loopsim::inject
