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

// RoomAt groups symbol starts by 4 KiB page of the text range.
constexpr int kPageShift = 12;

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

// A GNU hash section (.gnu.hash): a header of four words (buckets, the index of the first hashed
// symbol, the Bloom filter's size in 64-bit words, its shift), the Bloom filter, a bucket array (the
// first symbol index of each bucket, 0 for none), then one word per hashed symbol: its hash with the
// low bit set on the last symbol of its bucket. The linker orders the hashed symbols by bucket, so a
// bucket's symbols are consecutive and in table order.
struct GnuHash {
  uint32_t buckets, first_hashed, bloom_words;
};

GnuHash GnuHashHeader(const uint32_t* words) { return {words[0], words[1], words[2]}; }

// Word offsets of the bucket array and of the hash values.
size_t GnuBucketsAt(const GnuHash& h) { return 4 + size_t{h.bloom_words} * 2; }
size_t GnuValuesAt(const GnuHash& h) { return GnuBucketsAt(h) + h.buckets; }

// Whether a section of `words` 32-bit words is a GNU hash table for a table of `symbols` symbols.
bool GnuHashFits(const uint8_t* section, size_t words, size_t symbols) {
  if (words < 4) return false;
  const GnuHash h = GnuHashHeader(reinterpret_cast<const uint32_t*>(section));
  return h.buckets != 0 && h.first_hashed <= symbols && GnuValuesAt(h) <= words &&
         symbols - h.first_hashed <= words - GnuValuesAt(h);
}

uint64_t Word(const char* bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, sizeof(word));
  return word;
}

// The first 8 bytes of the string at `name`, of which `left` can be read, zero from its terminator on.
uint64_t HeadOf(const char* name, size_t left) {
  uint64_t word = 0;
  std::memcpy(&word, name, left >= sizeof(word) ? sizeof(word) : left);
  // A bit per zero byte (exact for the lowest one): clear the bytes from the lowest on.
  const uint64_t zeros = (word - 0x0101010101010101) & ~word & 0x8080808080808080;
  if (zeros != 0) word &= ((zeros & -zeros) >> 7) - 1;
  return word;
}

uint32_t GnuHashOf(std::string_view name) {
  uint32_t h = 5381;
  for (char c : name) h = h * 33 + static_cast<uint8_t>(c);
  return h;
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
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type == SHT_GNU_HASH && in_file(sh[i].sh_offset, sh[i].sh_size) &&
        sh[i].sh_offset % 4 == 0 && GnuHashFits(m + sh[i].sh_offset, sh[i].sh_size / 4, image.dynamic_.count)) {
      image.gnu_hash_ = reinterpret_cast<const uint32_t*>(m + sh[i].sh_offset);
    }
  }

  return image;
}

const std::vector<uint64_t>& ElfImage::Heads(const Table& table) const {
  if (table.heads.size() != table.count) {
    const auto* syms = static_cast<const Elf64_Sym*>(table.symbols);
    table.heads.resize(table.count);
    for (size_t i = 0; i < table.count; ++i) {
      const Elf64_Sym& s = syms[i];
      const bool named = IsDefined(s) && s.st_name < table.names_size;
      table.heads[i] = named ? HeadOf(table.names + s.st_name, table.names_size - s.st_name) : 0;
    }
  }
  return table.heads;
}

template <typename Visit>
void ElfImage::ForEachDefined(const Table& table, std::string_view prefix, Visit visit) const {
  const auto* syms = static_cast<const Elf64_Sym*>(table.symbols);
  const std::vector<uint64_t>& heads = Heads(table);
  const uint64_t mask = prefix.size() >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * prefix.size())) - 1;
  const uint64_t head = HeadOf(prefix.data(), prefix.size()) & mask;
  for (size_t i = 0; i < table.count; ++i) {
    if ((heads[i] & mask) != head) continue;
    const Elf64_Sym& s = syms[i];
    if (!IsDefined(s) || s.st_name >= table.names_size) continue;
    const char* name = table.names + s.st_name;
    const size_t left = table.names_size - s.st_name;
    if (!prefix.empty() && (prefix.size() > left || std::memcmp(name, prefix.data(), prefix.size()) != 0)) continue;
    visit(s, std::string_view(name, strnlen(name, left)));
  }
}

bool ElfImage::IsNamed(const Table& table, size_t i, std::string_view wanted) const {
  const Elf64_Sym& s = static_cast<const Elf64_Sym*>(table.symbols)[i];
  if (!IsDefined(s) || s.st_name >= table.names_size) return false;
  const char* name = table.names + s.st_name;
  const size_t left = table.names_size - s.st_name;
  // Names that start alike (in one C++ namespace) differ at the end: compare the last 8 bytes first.
  const size_t n = wanted.size();
  if (n >= 8 && left >= n && Word(name + n - 8) != Word(wanted.data() + n - 8)) return false;
  size_t k = 0;
  while (k < wanted.size() && k < left && name[k] == wanted[k]) ++k;
  return k == wanted.size() && (k == left || name[k] == '\0');
}

ElfSymbol ElfImage::SymbolAt(const Table& table, size_t i) const {
  const Elf64_Sym& s = static_cast<const Elf64_Sym*>(table.symbols)[i];
  const char* name = table.names + s.st_name;
  return {{name, strnlen(name, table.names_size - s.st_name)}, base_ + s.st_value, s.st_size,
          ELF64_ST_TYPE(s.st_info) == STT_FUNC};
}

std::optional<ElfSymbol> ElfImage::FindExported(std::string_view wanted) const {
  const GnuHash h =
      gnu_hash_ != nullptr ? GnuHashHeader(gnu_hash_) : GnuHash{0, static_cast<uint32_t>(dynamic_.count), 0};
  // The symbols before the first hashed one (undefined ones, mostly; all of them without a hash table)
  // are scanned, and come first in table order.
  for (size_t i = 0; i < h.first_hashed; ++i) {
    if (IsNamed(dynamic_, i, wanted)) return SymbolAt(dynamic_, i);
  }
  if (gnu_hash_ == nullptr) return std::nullopt;
  const uint32_t hash = GnuHashOf(wanted);
  const uint32_t* values = gnu_hash_ + GnuValuesAt(h);
  const size_t first = gnu_hash_[GnuBucketsAt(h) + hash % h.buckets];  // 0: an empty bucket
  for (size_t i = first; i != 0 && i >= h.first_hashed && i < dynamic_.count; ++i) {
    const uint32_t value = values[i - h.first_hashed];
    if ((value | 1) == (hash | 1) && IsNamed(dynamic_, i, wanted)) return SymbolAt(dynamic_, i);
    if (value & 1) break;
  }
  return std::nullopt;
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

std::optional<ElfSymbol> ElfImage::Find(std::string_view name) const { return FindAll({name}).front(); }

std::vector<std::optional<ElfSymbol>> ElfImage::FindAll(const std::vector<std::string_view>& names) const {
  std::vector<std::optional<ElfSymbol>> found(names.size());
  std::vector<size_t> internal;  // indices of the names not exported
  for (size_t k = 0; k < names.size(); ++k) {
    found[k] = FindExported(names[k]);
    if (!found[k]) internal.push_back(k);
  }
  if (symtab_ == nullptr || internal.empty()) return found;
  const std::vector<uint64_t>& heads = Heads(*symtab_);
  std::vector<uint64_t> wanted_heads;
  for (std::string_view name : names) wanted_heads.push_back(HeadOf(name.data(), name.size()));
  for (size_t i = 0; i < symtab_->count && !internal.empty(); ++i) {
    for (auto k = internal.begin(); k != internal.end();) {
      if (heads[i] != wanted_heads[*k] || !IsNamed(*symtab_, i, names[*k])) {
        ++k;
        continue;
      }
      found[*k] = SymbolAt(*symtab_, i);
      k = internal.erase(k);
    }
  }
  return found;
}

std::vector<ElfSymbol> ElfImage::AllWithPrefix(std::string_view prefix) const {
  std::vector<ElfSymbol> out;
  ForEachDefined(symtab_ != nullptr ? *symtab_ : dynamic_, prefix, [&](const Elf64_Sym& s, std::string_view name) {
    out.push_back({name, base_ + s.st_value, s.st_size, ELF64_ST_TYPE(s.st_info) == STT_FUNC});
  });
  return out;
}

void ElfImage::IndexStarts() const {
  const uintptr_t low = TextRange().first;
  // Calls visit(address, page) for each defined symbol that starts in an executable segment (only those
  // can bound the room, which ends at its segment's end anyway). Run twice, to count each page's starts
  // and then to place them: a counting sort by page, in place of a sort of node's 150,000 starts.
  const auto for_each_start = [&](auto visit) {
    for (const Table* t : {&full_, &dynamic_}) {
      const auto* syms = static_cast<const Elf64_Sym*>(t->symbols);
      for (size_t i = 0; i < t->count; ++i) {
        const uintptr_t a = base_ + syms[i].st_value;
        if (!IsDefined(syms[i]) || syms[i].st_name >= t->names_size) continue;
        const auto holds = [a](const Segment& seg) { return a >= seg.start && a < seg.end; };
        if (std::any_of(text_.begin(), text_.end(), holds)) visit(a, (a - low) >> kPageShift);
      }
    }
  };
  page_starts_.assign(((TextRange().second - 1 - low) >> kPageShift) + 2, 0);
  for_each_start([&](uintptr_t, size_t page) { ++page_starts_[page + 1]; });
  for (size_t p = 1; p < page_starts_.size(); ++p) page_starts_[p] += page_starts_[p - 1];
  starts_.resize(page_starts_.back());
  std::vector<uint32_t> next(page_starts_.begin(), page_starts_.end() - 1);
  for_each_start([&](uintptr_t a, size_t page) { starts_[next[page]++] = a; });
}

uint64_t ElfImage::RoomAt(uintptr_t address) const {
  for (const Segment& seg : text_) {
    if (address < seg.start || address >= seg.end) continue;
    if (page_starts_.empty()) IndexStarts();
    // The nearest start after `address`: in its own page, else the first page after it that has one.
    const uintptr_t low = TextRange().first;
    uintptr_t end = seg.end;
    for (size_t p = (address - low) >> kPageShift; p + 1 < page_starts_.size() && low + (p << kPageShift) < end; ++p) {
      for (uint32_t i = page_starts_[p]; i < page_starts_[p + 1]; ++i) {
        if (starts_[i] > address && starts_[i] < end) end = starts_[i];
      }
      if (end != seg.end) break;
    }
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
  full_ = std::move(other.full_);
  dynamic_ = std::move(other.dynamic_);
  symtab_ = other.symtab_ != nullptr ? &full_ : nullptr;
  uses_cet_ = other.uses_cet_;
  gnu_hash_ = other.gnu_hash_;
  starts_ = std::move(other.starts_);
  page_starts_ = std::move(other.page_starts_);
  text_ = std::move(other.text_);
  other.map_ = nullptr;
  other.symtab_ = nullptr;
  return *this;
}

ElfImage::~ElfImage() { Release(); }

}  // namespace loopsim::inject
