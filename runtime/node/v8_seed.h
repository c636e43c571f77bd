// V8's own generators, reseeded when a seed begins, without anything JavaScript could see. Math.random
// takes its state, the first time a context asks for a number, from the isolate's generator (unless
// --random-seed is set, as --predictable sets it: boot unsets it); identity hashes come from that
// generator too. V8 has no public API to reseed it, so the host calls V8's own functions, found by name
// in the binary's symbol table: the isolate's generator and its SetSeed, and the function that empties a
// context's Math.random state, in case anything drew from it before the seed.
//
// Also the end of boot's full collection: booting and the warm-up leave V8's young generation part full,
// and the scavenge of that garbage was most of a small seed's work when each seed did it (and wrote
// fresh pages for it). Collected once at the end of boot, before a zygote forks and before `loopsim run`
// begins its seed (so a seed's trace is the same bytes either way), no seed does it again; nor does a
// seed sweep what it freed (V8 is made to finish sweeping there and then). What V8 then posts to node's
// platform differs, which no seed sees (uv/host_callbacks.h).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "runtime/inject/elf_image.h"

namespace loopsim::node_host {

// Finds the functions in `image`, the object that holds V8; an error names what it lacks (a stripped
// binary has no symbol table).
absl::Status FindV8Reseeder(const inject::ElfImage& image);

// Reseeds the current isolate and its current context from `seed`. Call from JavaScript's thread with a
// context entered (a native call from the boot script).
void ReseedV8(uint64_t seed);

// Unsets the --random-seed that --predictable fixes (once, at the end of boot, before any seed).
void UnfixMathRandomSeed();

// Collects the whole heap of the current isolate once and finishes sweeping it (a native call from the
// boot script, like ReseedV8).
void CollectBootGarbage();

// V8 flags to set once CollectBootGarbage has collected ("--name=value ..."): flags the warm-up changed
// that must hold through that collection.
void SetFlagsAfterBootCollection(std::string flags);

}  // namespace loopsim::node_host
