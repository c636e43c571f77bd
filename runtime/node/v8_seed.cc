// See v8_seed.h. The functions are C++ members and free functions of V8; they are called through
// pointers with the Itanium C++ ABI's conventions: `this` first, and a v8::Local or an internal Context
// (or Tagged<Context> from V8 12) passed and returned as the one machine word it wraps.
#include "runtime/node/v8_seed.h"


#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fakeos/base/check.h"
#include "fakeos/base/prng.h"
#include "runtime/inject/elf_image.h"
#include "runtime/inject/status_text.h"

namespace loopsim::node_host {

namespace {

using inject::Cat;
using inject::Message;

struct Reseeder {
  void* (*isolate_get_current)() = nullptr;                    // v8::Isolate::GetCurrent()
  uintptr_t* (*isolate_get_current_context)(void*) = nullptr;  // v8::Isolate::GetCurrentContext(): a Local
  void* (*isolate_rng)(void*) = nullptr;                       // v8::internal::Isolate::random_number_generator()
  void (*rng_set_seed)(void*, int64_t) = nullptr;              // v8::base::RandomNumberGenerator::SetSeed
  void (*reset_math_random)(uintptr_t) = nullptr;              // v8::internal::MathRandom::ResetContext
  void (*set_flags)(const char*) = nullptr;                    // v8::V8::SetFlagsFromString(const char*)
  void (*collect_garbage)(void*, int) = nullptr;               // v8::Isolate::RequestGarbageCollectionForTesting
  bool (*code_statistics)(void*, void*) = nullptr;             // v8::Isolate::GetHeapCodeAndMetadataStatistics
};

Reseeder g_reseeder;

}  // namespace

absl::Status FindV8Reseeder(const inject::ElfImage& image) {
  const auto find = [&](std::string_view name, bool prefix) -> uintptr_t {
    if (!prefix) {
      std::optional<inject::ElfSymbol> s = image.Find(name);
      return s ? s->address : 0;
    }
    for (const inject::ElfSymbol& s : image.AllWithPrefix(name)) {
      if (s.function) return s.address;
    }
    return 0;
  };
  Reseeder r;
  r.isolate_get_current = reinterpret_cast<void* (*)()>(find("_ZN2v87Isolate10GetCurrentEv", false));
  r.isolate_get_current_context =
      reinterpret_cast<uintptr_t* (*)(void*)>(find("_ZN2v87Isolate17GetCurrentContextEv", false));
  r.isolate_rng = reinterpret_cast<void* (*)(void*)>(find("_ZN2v88internal7Isolate23random_number_generatorEv", false));
  r.rng_set_seed = reinterpret_cast<void (*)(void*, int64_t)>(find("_ZN2v84base21RandomNumberGenerator7SetSeedEl", false));
  r.reset_math_random =
      reinterpret_cast<void (*)(uintptr_t)>(find("_ZN2v88internal10MathRandom12ResetContextE", true));
  r.set_flags = reinterpret_cast<void (*)(const char*)>(find("_ZN2v82V818SetFlagsFromStringEPKc", false));
  r.collect_garbage = reinterpret_cast<void (*)(void*, int)>(
      find("_ZN2v87Isolate34RequestGarbageCollectionForTestingENS0_21GarbageCollectionTypeE", false));
  r.code_statistics = reinterpret_cast<bool (*)(void*, void*)>(
      find("_ZN2v87Isolate32GetHeapCodeAndMetadataStatisticsEPNS_18HeapCodeStatisticsE", false));
  if (r.isolate_get_current == nullptr || r.isolate_get_current_context == nullptr || r.isolate_rng == nullptr || r.rng_set_seed == nullptr ||
      r.reset_math_random == nullptr || r.set_flags == nullptr || r.collect_garbage == nullptr) {
    return absl::NotFoundError(Cat(image.path(), " lacks the V8 functions loopsim reseeds Math.random and collects the boot's garbage with",
                                   image.has_full_symbols() ? "" : " (its symbol table is stripped)"));
  }
  g_reseeder = r;
  return absl::OkStatus();
}

void ReseedV8(uint64_t seed) {
  const Reseeder& r = g_reseeder;
  LS_CHECK_MSG(r.isolate_get_current != nullptr, "V8 was reseeded before its functions were found");
  void* isolate = r.isolate_get_current();
  LS_CHECK_MSG(isolate != nullptr, "V8 was reseeded outside an isolate");
  uint64_t state = StreamSeed(seed, Stream::kV8);
  r.rng_set_seed(r.isolate_rng(isolate), static_cast<int64_t>(SplitMix64(state)));
  // A Local is a pointer to the slot that holds the tagged pointer of the native context.
  uintptr_t* context_slot = r.isolate_get_current_context(isolate);
  LS_CHECK_MSG(context_slot != nullptr, "V8 was reseeded without a context");
  r.reset_math_random(*context_slot);
}

// --predictable (host.h) sets --random-seed to a constant, from which Math.random would take its state
// in every seed alike. V8 reads the flag only when a context's Math.random state is empty (which
// ReseedV8 makes it), so unsetting it once, before any seed, leaves Math.random to the generator each
// seed reseeds.
void UnfixMathRandomSeed() {
  LS_CHECK_MSG(g_reseeder.set_flags != nullptr, "V8's flags were set before its functions were found");
  g_reseeder.set_flags("--random-seed=0");
}

namespace {
std::string g_flags_after_boot_collection;
}  // namespace

void SetFlagsAfterBootCollection(std::string flags) { g_flags_after_boot_collection = std::move(flags); }

// V8 takes a full collection on request only with --expose-gc set (it checks the flag there, and reads
// it otherwise only when it makes a context, which none does in between); node lets flags change after
// V8 started (--no-freeze-flags-after-init). kFullGarbageCollection is 0 in every V8 node 18 to 26
// bundles. A plain full collection, not a memory-reducing one (Isolate::LowMemoryNotification), which
// would also flush the warm-up's bytecode and empty the compilation cache.
void CollectBootGarbage() {
  const Reseeder& r = g_reseeder;
  LS_CHECK_MSG(r.collect_garbage != nullptr, "V8's heap was collected before its functions were found");
  void* isolate = r.isolate_get_current();
  LS_CHECK_MSG(isolate != nullptr, "V8's heap was collected outside an isolate");
  r.set_flags("--expose-gc");
  r.collect_garbage(isolate, 0);
  r.set_flags("--no-expose-gc");
  if (!g_flags_after_boot_collection.empty()) r.set_flags(g_flags_after_boot_collection.c_str());
  // The collection leaves its sweeping to be done lazily, by the allocations that follow: in every
  // forked seed, which would redo it (and copy the pages it writes). Counting the code makes V8 finish
  // sweeping first (it walks a heap that must be iterable); the figures are not needed. V8's
  // HeapCodeStatistics is four or five words: the buffer is larger.
  if (r.code_statistics != nullptr) {
    size_t statistics[16] = {};
    r.code_statistics(isolate, statistics);
  }
}

}  // namespace loopsim::node_host
