// See v8_seed.h. The functions are C++ members and free functions of V8; they are called through
// pointers with the Itanium C++ ABI's conventions: `this` first, and a v8::Local or an internal Context
// (or Tagged<Context> from V8 12) passed and returned as the one machine word it wraps.
#include "runtime/node/v8_seed.h"


#include <optional>
#include <string_view>

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
  if (r.isolate_get_current == nullptr || r.isolate_get_current_context == nullptr || r.isolate_rng == nullptr || r.rng_set_seed == nullptr ||
      r.reset_math_random == nullptr) {
    return absl::NotFoundError(Cat(image.path(), " lacks the V8 functions loopsim reseeds Math.random with",
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

}  // namespace loopsim::node_host
