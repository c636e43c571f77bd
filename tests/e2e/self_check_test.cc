// The host's start-up self-check refuses a node binary it cannot handle safely, with a clear message and
// exit code 2, before anything runs half-simulated: here a copy of an official node binary whose symbol
// table says one uv_* entry has only 4 bytes before the next function, and one that exports a uv_*
// function loopsim does not know. The unmodified copy runs, so the copying is not what fails.
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/subprocess.h"

namespace loopsim::testing {
namespace {

class Copy {
 public:
  Copy() {
    char dir[] = "/tmp/loopsim-self-check-XXXXXX";
    dir_ = ::mkdtemp(dir);
    path_ = dir_ + "/node";
    std::ifstream in(LOOPSIM_OFFICIAL_NODE, std::ios::binary);
    std::ofstream out(path_, std::ios::binary);
    out << in.rdbuf();
    out.close();
    ::chmod(path_.c_str(), 0755);
    std::ofstream(dir_ + "/hello.js") << "console.log('hello');\n";
  }
  ~Copy() {
    ::unlink(path_.c_str());
    ::unlink((dir_ + "/hello.js").c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }

  // Edits the copy's ELF file in place.
  void Edit(const std::function<void(uint8_t* file)>& edit) {
    const int fd = ::open(path_.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    struct stat st;
    ASSERT_EQ(::fstat(fd, &st), 0);
    void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ASSERT_NE(map, MAP_FAILED);
    edit(static_cast<uint8_t*>(map));
    ::munmap(map, static_cast<size_t>(st.st_size));
    ::close(fd);
  }

  RunResult Run() const {
    RunOptions options;
    options.argv = {LoopsimBinary(LOOPSIM_BIN), "run", "--node", path_, "hello.js"};
    options.cwd = dir_;
    return RunProcess(options);
  }

 private:
  std::string dir_, path_;
};

// Calls visit(symbol, name) for every symbol of the table of type `type` (SHT_SYMTAB or SHT_DYNSYM).
void ForEachSymbol(uint8_t* file, uint32_t type, const std::function<void(Elf64_Sym&, char*)>& visit) {
  auto* eh = reinterpret_cast<Elf64_Ehdr*>(file);
  auto* sh = reinterpret_cast<Elf64_Shdr*>(file + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type != type) continue;
    auto* syms = reinterpret_cast<Elf64_Sym*>(file + sh[i].sh_offset);
    char* names = reinterpret_cast<char*>(file + sh[sh[i].sh_link].sh_offset);
    for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); ++k) visit(syms[k], names + syms[k].st_name);
  }
}

TEST(SelfCheck, AnUnmodifiedCopyRuns) {
  Copy copy;
  const RunResult r = copy.Run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
}

TEST(SelfCheck, RefusesAnEntryTooShortForAJump) {
  Copy copy;
  copy.Edit([](uint8_t* file) {
    uint64_t hrtime = 0;
    ForEachSymbol(file, SHT_SYMTAB, [&](Elf64_Sym& s, char* name) {
      if (std::strcmp(name, "uv_hrtime") == 0) hrtime = s.st_value;
    });
    ASSERT_NE(hrtime, 0u) << "the binary has no uv_hrtime in its symbol table";
    // The function after uv_hrtime now starts 4 bytes into it, as far as the symbol table says.
    Elf64_Sym* next = nullptr;
    ForEachSymbol(file, SHT_SYMTAB, [&](Elf64_Sym& s, char*) {
      if (s.st_value > hrtime && s.st_shndx != SHN_UNDEF && (next == nullptr || s.st_value < next->st_value)) next = &s;
    });
    ASSERT_NE(next, nullptr);
    const uint64_t old_start = next->st_value;
    ForEachSymbol(file, SHT_SYMTAB, [&](Elf64_Sym& s, char*) {
      if (s.st_value == old_start) s.st_value = hrtime + 4;
    });
  });
  const RunResult r = copy.Run();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("uv_hrtime cannot be redirected: 4 bytes before the next symbol, 5 needed for a jump"),
            std::string::npos)
      << r.err;
}

TEST(SelfCheck, RefusesAUvFunctionItDoesNotKnow) {
  Copy copy;
  copy.Edit([](uint8_t* file) {
    bool renamed = false;
    ForEachSymbol(file, SHT_DYNSYM, [&](Elf64_Sym&, char* name) {
      if (std::strcmp(name, "uv_print_all_handles") == 0) {
        std::memcpy(name, "uv_print_all_handlez", 20);
        renamed = true;
      }
    });
    ASSERT_TRUE(renamed);
  });
  const RunResult r = copy.Run();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("exports uv_print_all_handlez, which loopsim neither simulates nor knows to be a pure utility"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace loopsim::testing
