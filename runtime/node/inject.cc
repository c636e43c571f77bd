// See inject.h.
#include "runtime/node/inject.h"

#include <dlfcn.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "fakeos/base/check.h"
#include "runtime/inject/elf_image.h"
#include "runtime/inject/patcher.h"
#include "runtime/inject/status_text.h"
#include "runtime/node/background.h"
#include "runtime/node/redirects.h"
#include "runtime/node/teardown.h"
#include "runtime/node/v8_seed.h"
#include "runtime/uv/host_callbacks.h"

namespace loopsim::node_host {

namespace {

using inject::Cat;
using inject::Message;

// runtime/uv/passthrough.txt, compiled in (passthrough.inc is generated from it by the build).
constexpr const char* kPassthrough[] = {
#include "passthrough.inc"
};

bool IsPassthrough(std::string_view name) {
  return std::find(std::begin(kPassthrough), std::end(kPassthrough), name) != std::end(kPassthrough);
}

// The object that defines `symbol` for the dynamic linker (the executable comes first), or an error
// naming what is missing.
absl::StatusOr<inject::LoadedObject> DefiningObject(const char* symbol, const char* what) {
  void* address = dlsym(RTLD_DEFAULT, symbol);
  std::optional<inject::LoadedObject> object;
  if (address != nullptr) object = inject::ObjectContaining(reinterpret_cast<uintptr_t>(address));
  if (!object) return absl::NotFoundError(Cat("this program defines no ", symbol, ": it is not ", what));
  return *object;
}

// Node's platform's own callbacks on the loop (uv/host_callbacks.h): the async callback that
// flushes V8's foreground tasks and the timer callback of a delayed one. Every node from 18 to 26 has
// both, under these names.
absl::Status FindPlatformCallbacks(const inject::ElfImage& node) {
  constexpr char kFlushTasks[] = "_ZN4node22PerIsolatePlatformData10FlushTasksEP10uv_async_s";
  constexpr char kRunDelayedTask[] = "_ZN4node22PerIsolatePlatformData17RunForegroundTaskEP10uv_timer_s";
  std::optional<inject::ElfSymbol> flush = node.Find(kFlushTasks);
  std::optional<inject::ElfSymbol> delayed = node.Find(kRunDelayedTask);
  if (!flush || !delayed) {
    return absl::NotFoundError(Cat(node.path(), " has no ", flush ? kRunDelayedTask : kFlushTasks,
                                   " (node's platform, whose wake-ups of the loop are kept out of the program's)"));
  }
  uv::SetHostCallbacks({reinterpret_cast<uv_async_cb>(flush->address),
                        reinterpret_cast<uv_timer_cb>(delayed->address)});
  return absl::OkStatus();
}

std::string VersionText(uint32_t v) { return absl::StrFormat("%d.%d.%d", v >> 16, (v >> 8) & 0xff, v & 0xff); }

// The room an entry has for a jump: up to the next symbol when the object lists every symbol, else
// the function's own bytes and the alignment padding after them.
inject::FunctionSpan SpanOf(const inject::ElfImage& image, const inject::ElfSymbol& s,
                            const inject::EntryPatcher& patcher) {
  inject::FunctionSpan f;
  f.entry = s.address;
  f.size = s.size;
  f.room = image.has_full_symbols() ? image.RoomAt(s.address)
                                    : std::min(s.size + patcher.PaddingAfter(s.address + s.size), image.RoomAt(s.address));
  return f;
}

struct Planned {
  const Redirection* redirection;
  inject::FunctionSpan span;
};

// Every entry of `table` that `image` exports, checked; an export of `prefix` that is on no list is an
// error when `known_prefix_only` (libuv's API must be known whole).
absl::Status Plan(const inject::ElfImage& image, const std::vector<Redirection>& table, std::string_view prefix,
                  bool every_export_known, const inject::EntryPatcher& patcher, std::vector<Planned>* out,
                  int* passed_through) {
  std::vector<inject::ElfSymbol> exports = image.Exported(prefix);
  // Compiler-made copies of functions (partial inlining, constant propagation, interprocedural SRA, LTO)
  // may be called instead of the entry, bypassing a redirection. Hot/cold splitting (.cold) is harmless:
  // callers still enter at the entry.
  std::vector<std::string_view> clones;
  for (const inject::ElfSymbol& s : image.AllWithPrefix(prefix)) {
    for (std::string_view kind : {".part.", ".constprop.", ".isra.", ".lto_priv.", ".localalias"}) {
      if (s.name.find(kind) != std::string_view::npos) clones.push_back(s.name);
    }
  }
  std::sort(exports.begin(), exports.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const inject::ElfSymbol& s : exports) {
    if (!s.function) continue;
    const auto r = std::find_if(table.begin(), table.end(), [&](const Redirection& x) { return x.name == s.name; });
    if (r == table.end()) {
      if (every_export_known && !IsPassthrough(s.name)) {
        return absl::FailedPreconditionError(
            Cat(image.path(), " exports ", s.name, ", which loopsim neither simulates nor knows to be a pure "
                         "utility: a libuv newer than loopsim knows"));
      }
      ++*passed_through;
      continue;
    }
    inject::FunctionSpan span = SpanOf(image, s, patcher);
    if (absl::Status st = patcher.Check(span); !st.ok()) {
      return absl::FailedPreconditionError(Cat(image.path(), ": ", s.name, " cannot be redirected: ", Message(st)));
    }
    if (const auto clone = std::find_if(clones.begin(), clones.end(),
                                        [&](std::string_view c) { return c.substr(0, s.name.size() + 1) == Cat(s.name, "."); });
        clone != clones.end()) {
      return absl::FailedPreconditionError(Cat(image.path(), ": ", s.name, " has a compiler-made copy, ", *clone,
                                               ", that callers may use instead of its entry"));
    }
    out->push_back({&*r, span});
  }
  return absl::OkStatus();
}

// The image of the object that defines `symbol`: `known` when it is that object, else one opened into
// `opened` (which must not reallocate while its images are in use: reserve enough).
absl::StatusOr<const inject::ElfImage*> ImageOf(const char* symbol, const char* what, const inject::ElfImage& known,
                                                std::vector<inject::ElfImage>* opened) {
  absl::StatusOr<inject::LoadedObject> object = DefiningObject(symbol, what);
  if (!object.ok()) return object.status();
  if (object->path == known.path()) return &known;
  for (const inject::ElfImage& image : *opened) {
    if (image.path() == object->path) return &image;
  }
  absl::StatusOr<inject::ElfImage> image = inject::ElfImage::Open(object->path, object->base);
  if (!image.ok()) return image.status();
  LS_CHECK_MSG(opened->size() < opened->capacity(), "ImageOf needs room reserved for every object it opens");
  opened->push_back(std::move(*image));
  return &opened->back();
}

absl::Status Apply(inject::EntryPatcher& patcher, const inject::ElfImage& image, const std::vector<Planned>& plan,
                   int* redirected) {
  for (const Planned& p : plan) {
    absl::StatusOr<inject::EntryPatcher::Redirected> r = patcher.Redirect(p.span, p.redirection->replacement);
    if (!r.ok()) {
      return absl::InternalError(Cat(image.path(), ": redirecting ", p.redirection->name, " failed: ", Message(r.status())));
    }
    if (p.redirection->original != nullptr) *p.redirection->original = r->original;
    if (p.redirection->needs_original && r->original == nullptr) {
      return absl::FailedPreconditionError(Cat(image.path(), ": Node's own loops need the original ",
                                                        p.redirection->name, ", which cannot be kept callable: ",
                                                        r->no_original_reason));
    }
    ++*redirected;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Injection> InjectIntoNode() {
  Injection result;
  absl::StatusOr<inject::LoadedObject> uv_object = DefiningObject("uv_run", "a Node.js binary (no libuv)");
  if (!uv_object.ok()) return uv_object.status();
  // uv_version is a pure utility: the binary's own answers.
  auto version = reinterpret_cast<unsigned (*)()>(dlsym(RTLD_DEFAULT, "uv_version"));
  if (version == nullptr) return absl::NotFoundError("this program's libuv has no uv_version");
  result.libuv_version = version();
  if (result.libuv_version < kOldestLibuv || result.libuv_version > kNewestLibuv) {
    return absl::FailedPreconditionError(Cat("this node bundles libuv ", VersionText(result.libuv_version),
                                                      "; loopsim follows libuv ", VersionText(kOldestLibuv), " to ",
                                                      VersionText(kNewestLibuv & ~0xffu), ".x"));
  }
  absl::StatusOr<inject::ElfImage> uv_image = inject::ElfImage::Open(uv_object->path, uv_object->base);
  if (!uv_image.ok()) return uv_image.status();
  if (uv_image->uses_cet()) {
    return absl::FailedPreconditionError(Cat(uv_image->path(), " is built for Intel CET (IBT/shadow stacks), "
                                                      "whose entries cannot be redirected by a jump"));
  }
  result.libuv_object = uv_image->path();
  if (uv_object->path != inject::LoadedObjects().front().path) {
    SetLibuvCode({uv_image->TextRange()});
  } else {
    std::vector<std::pair<uintptr_t, uintptr_t>> functions;
    for (const inject::ElfSymbol& s : uv_image->AllWithPrefix("uv_")) {
      if (s.function && s.size != 0) functions.emplace_back(s.address, s.address + s.size);
    }
    SetLibuvCode(std::move(functions));
  }

  // OpenSSL and node's platform (with V8) live in the executable too for official builds, in libcrypto
  // and libnode for Debian's.
  std::vector<inject::ElfImage> others;
  others.reserve(2);
  absl::StatusOr<const inject::ElfImage*> crypto_image =
      ImageOf("RAND_bytes", "a Node.js binary with OpenSSL", *uv_image, &others);
  if (!crypto_image.ok()) return crypto_image.status();
  absl::StatusOr<const inject::ElfImage*> node_image =
      ImageOf(kWorkerThreadCount, "a Node.js binary (no node::NodePlatform)", *uv_image, &others);
  if (!node_image.ok()) return node_image.status();
  const inject::ElfImage& crypto = **crypto_image;
  const inject::ElfImage& node = **node_image;

  absl::Status reseeder = FindV8Reseeder(node);
  if (!reseeder.ok()) return reseeder;
  if (absl::Status callbacks = FindPlatformCallbacks(node); !callbacks.ok()) return callbacks;

  inject::EntryPatcher patcher;
  std::vector<Planned> uv_plan, crypto_plan, node_plan;
  if (absl::Status s = Plan(*uv_image, UvRedirections(), "uv_", true, patcher, &uv_plan, &result.passed_through);
      !s.ok()) {
    return s;
  }
  int ignored = 0;
  if (absl::Status s = Plan(crypto, EntropyRedirections(), "RAND_", false, patcher, &crypto_plan, &ignored); !s.ok()) {
    return s;
  }
  std::vector<std::string> groups_found;
  std::vector<PlatformEntry> node_entries = PlatformEntries();
  node_entries.insert(node_entries.end(), TeardownEntries().begin(), TeardownEntries().end());
  node_entries.insert(node_entries.end(), WaiterEntries().begin(), WaiterEntries().end());
  std::vector<std::string_view> node_names;
  for (const PlatformEntry& e : node_entries) node_names.push_back(e.redirection.name);
  const std::vector<std::optional<inject::ElfSymbol>> node_symbols = node.FindAll(node_names);
  for (size_t i = 0; i < node_entries.size(); ++i) {
    const PlatformEntry& e = node_entries[i];
    const Redirection& r = e.redirection;
    const std::optional<inject::ElfSymbol>& symbol = node_symbols[i];
    if (!symbol) continue;
    inject::FunctionSpan span = SpanOf(node, *symbol, patcher);
    if (absl::Status st = patcher.Check(span); !st.ok()) {
      return absl::FailedPreconditionError(Cat(node.path(), ": ", r.name, " cannot be redirected: ", Message(st)));
    }
    node_plan.push_back({&r, span});
    if (e.group != nullptr) groups_found.push_back(e.group);
  }
  for (const PlatformEntry& e : node_entries) {
    if (e.group != nullptr && std::find(groups_found.begin(), groups_found.end(), e.group) == groups_found.end()) {
      return absl::NotFoundError(Cat(node.path(), " has no ", e.redirection.name,
                                     " (node's platform, which loopsim takes V8's background work and node's "
                                     "teardown from)"));
    }
  }
  if (absl::Status s = Apply(patcher, *uv_image, uv_plan, &result.redirected); !s.ok()) return s;
  if (absl::Status s = Apply(patcher, node, node_plan, &result.redirected); !s.ok()) return s;
  if (absl::Status s = Apply(patcher, crypto, crypto_plan, &result.redirected); !s.ok()) return s;
  patcher.Seal();
  return result;
}

}  // namespace loopsim::node_host
