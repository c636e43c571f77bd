// The injector's two halves on functions of this test's own executable, written in assembly so their
// first instructions are exactly the cases that matter: ElfImage reads their symbols, sizes and room;
// EntryPatcher redirects them and keeps the originals callable through relocated prologues
// (rip-relative operands, short conditional branches, relative jumps), or says why it cannot (a branch
// back into the first bytes, not bytes that only look like one), and refuses entries without room for a
// jump.
#include <gtest/gtest.h>

#include <string>

#include "runtime/inject/elf_image.h"
#include "runtime/inject/patcher.h"

extern "C" {
int g_patcher_test_counter = 41;
int PatchRipRelative(void);         // returns the counter + 1, reading it rip-relative first thing
int PatchShortBranch(int);          // 2 for 0, else 1: a short je within the first five bytes
int PatchTailJump(int);             // jumps to PatchJumpTarget straight away
int PatchJumpTarget(int);           // returns 3
int PatchToShortBranch(int);        // calls PatchShortBranch
int PatchBranchBack(int);           // counts up to its argument: its loop branches back to byte 2
int PatchLooksLikeBranchBack(void);  // returns 0xfeeb, whose bytes (eb fe) read as a jump to byte 1
int PatchTiny(void);                // `ret` only, followed at once by PatchTinyNeighbour
int PatchTinyNeighbour(void);
}

asm(R"(
  .text
  .p2align 4
  .globl PatchRipRelative
  .type PatchRipRelative, @function
PatchRipRelative:
  movl g_patcher_test_counter(%rip), %eax
  addl $1, %eax
  ret
  .size PatchRipRelative, .-PatchRipRelative

  .p2align 4
  .globl PatchShortBranch
  .type PatchShortBranch, @function
PatchShortBranch:
  testl %edi, %edi
  je 1f
  movl $1, %eax
  ret
1:
  movl $2, %eax
  ret
  .size PatchShortBranch, .-PatchShortBranch

  .p2align 4
  .globl PatchTailJump
  .type PatchTailJump, @function
PatchTailJump:
  jmp PatchJumpTarget
  .size PatchTailJump, .-PatchTailJump

  .p2align 4
  .globl PatchJumpTarget
  .type PatchJumpTarget, @function
PatchJumpTarget:
  movl $3, %eax
  ret
  .size PatchJumpTarget, .-PatchJumpTarget

  .p2align 4
  .globl PatchToShortBranch
  .type PatchToShortBranch, @function
PatchToShortBranch:
  subq $8, %rsp
  call PatchShortBranch
  addq $8, %rsp
  ret
  .size PatchToShortBranch, .-PatchToShortBranch

  .p2align 4
  .globl PatchBranchBack
  .type PatchBranchBack, @function
PatchBranchBack:
  xorl %eax, %eax
2:
  incl %eax
  cmpl %edi, %eax
  jl 2b
  ret
  .size PatchBranchBack, .-PatchBranchBack

  .p2align 4
  .globl PatchLooksLikeBranchBack
  .type PatchLooksLikeBranchBack, @function
PatchLooksLikeBranchBack:
  movl $0xfeeb, %eax
  ret
  .size PatchLooksLikeBranchBack, .-PatchLooksLikeBranchBack

  .p2align 4
  .globl PatchTiny
  .type PatchTiny, @function
PatchTiny:
  ret
  .size PatchTiny, .-PatchTiny
  .globl PatchTinyNeighbour
  .type PatchTinyNeighbour, @function
PatchTinyNeighbour:
  movl $7, %eax
  ret
  .size PatchTinyNeighbour, .-PatchTinyNeighbour
)");

namespace loopsim::inject {
namespace {

int ReplacementZero() { return 100; }
int ReplacementOne(int x) { return 200 + x; }

class Patcher : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<LoadedObject> self = ObjectContaining(reinterpret_cast<uintptr_t>(&PatchRipRelative));
    ASSERT_TRUE(self.has_value());
    absl::StatusOr<ElfImage> image = ElfImage::Open(self->path, self->base);
    ASSERT_TRUE(image.ok()) << image.status();
    image_.emplace(std::move(*image));
  }

  FunctionSpan Span(const char* name) {
    std::optional<ElfSymbol> s = image_->Find(name);
    EXPECT_TRUE(s.has_value()) << name;
    if (!s) return {};
    return FunctionSpan{s->address, s->size, image_->RoomAt(s->address)};
  }

  // Redirects the function `name` to `replacement` and seals the patches, so that its callers reach the
  // replacement from here on; *redirected is what Redirect gave.
  void RedirectAndSeal(const char* name, const void* replacement, EntryPatcher::Redirected* redirected) {
    absl::StatusOr<EntryPatcher::Redirected> r = patcher_.Redirect(Span(name), replacement);
    ASSERT_TRUE(r.ok()) << r.status();
    patcher_.Seal();
    *redirected = *std::move(r);
  }

  std::optional<ElfImage> image_;
  EntryPatcher patcher_;
};

TEST_F(Patcher, ReadsFunctionsFromTheExecutablesSymbolTable) {
  const FunctionSpan f = Span("PatchRipRelative");
  EXPECT_EQ(f.entry, reinterpret_cast<uintptr_t>(&PatchRipRelative));
  EXPECT_EQ(f.size, 10u);
  EXPECT_GE(f.room, 10u);  // its own bytes and the alignment padding after them
  EXPECT_EQ(Span("PatchTiny").room, 1u);
  EXPECT_TRUE(image_->has_full_symbols());
  EXPECT_FALSE(image_->AllWithPrefix("PatchBranch").empty());
}

TEST_F(Patcher, RedirectsAndKeepsARipRelativeOriginalCallable) {
  EntryPatcher::Redirected r;
  ASSERT_NO_FATAL_FAILURE(RedirectAndSeal("PatchRipRelative", reinterpret_cast<const void*>(&ReplacementZero), &r));
  EXPECT_EQ(PatchRipRelative(), 100);
  ASSERT_NE(r.original, nullptr) << r.no_original_reason;
  EXPECT_EQ(reinterpret_cast<int (*)()>(r.original)(), 42);
  g_patcher_test_counter = 9;
  EXPECT_EQ(reinterpret_cast<int (*)()>(r.original)(), 10);  // the operand still names the variable
}

TEST_F(Patcher, WidensAShortBranchInTheRelocatedPrologue) {
  EntryPatcher::Redirected r;
  ASSERT_NO_FATAL_FAILURE(RedirectAndSeal("PatchShortBranch", reinterpret_cast<const void*>(&ReplacementOne), &r));
  EXPECT_EQ(PatchShortBranch(0), 200);
  ASSERT_NE(r.original, nullptr) << r.no_original_reason;
  const auto original = reinterpret_cast<int (*)(int)>(r.original);
  EXPECT_EQ(original(0), 2);
  EXPECT_EQ(original(5), 1);
  // Code that calls the entry reaches the replacement too.
  EXPECT_EQ(PatchToShortBranch(3), 203);
}

TEST_F(Patcher, ReAimsARelativeJump) {
  EntryPatcher::Redirected r;
  ASSERT_NO_FATAL_FAILURE(RedirectAndSeal("PatchTailJump", reinterpret_cast<const void*>(&ReplacementOne), &r));
  EXPECT_EQ(PatchTailJump(1), 201);
  ASSERT_NE(r.original, nullptr) << r.no_original_reason;
  EXPECT_EQ(reinterpret_cast<int (*)(int)>(r.original)(0), 3);
}

TEST_F(Patcher, GivesNoOriginalWhenTheFunctionBranchesBackIntoItsFirstBytes) {
  EXPECT_EQ(PatchBranchBack(4), 4);
  EntryPatcher::Redirected r;
  ASSERT_NO_FATAL_FAILURE(RedirectAndSeal("PatchBranchBack", reinterpret_cast<const void*>(&ReplacementOne), &r));
  EXPECT_EQ(PatchBranchBack(4), 204);
  EXPECT_EQ(r.original, nullptr);
  EXPECT_NE(r.no_original_reason.find("branches back"), std::string::npos) << r.no_original_reason;
}

// The branch-back check looks at the bytes first and decodes only when some could be such a branch:
// here only an immediate operand could, and the decoded instructions have no branch.
TEST_F(Patcher, KeepsTheOriginalWhenOnlyAnOperandsBytesLookLikeABranchBack) {
  EntryPatcher::Redirected r;
  ASSERT_NO_FATAL_FAILURE(
      RedirectAndSeal("PatchLooksLikeBranchBack", reinterpret_cast<const void*>(&ReplacementZero), &r));
  EXPECT_EQ(PatchLooksLikeBranchBack(), 100);
  ASSERT_NE(r.original, nullptr) << r.no_original_reason;
  EXPECT_EQ(reinterpret_cast<int (*)()>(r.original)(), 0xfeeb);
}

TEST_F(Patcher, RefusesAnEntryWithoutRoomForAJump) {
  const absl::Status s = patcher_.Check(Span("PatchTiny"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("1 bytes before the next symbol, 5 needed"), std::string::npos) << s;
  EXPECT_FALSE(patcher_.Redirect(Span("PatchTiny"), reinterpret_cast<const void*>(&ReplacementZero)).ok());
  EXPECT_EQ(PatchTinyNeighbour(), 7);  // nothing was written
}

}  // namespace
}  // namespace loopsim::inject
