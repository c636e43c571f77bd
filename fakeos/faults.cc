// See faults.h.
#include "fakeos/faults.h"

#include <cerrno>
#include <charconv>
#include <string>
#include <vector>

#include "fakeos/base/check.h"

namespace loopsim {

namespace {

constexpr uint32_t kMaxDen = 1u << 20;

// The kinds each site can raise, in the order they are asked about.
const std::vector<FaultKind>& KindsAt(FaultSite site) {
  using K = FaultKind;
  static const std::array<std::vector<FaultKind>, static_cast<size_t>(FaultSite::kCount)> kTable = {{
      /* kNetRead */ {K::kEintr, K::kEagain, K::kShortRead, K::kConnReset, K::kTimedOut},
      /* kNetWrite */ {K::kEintr, K::kEagain, K::kShortWrite, K::kConnReset, K::kTimedOut},
      /* kNetConnect */ {K::kTimedOut},
      /* kNetAccept */ {K::kEagain, K::kMfile},
      /* kNetSocket */ {K::kMfile},
      /* kNetTransmit */ {K::kLatencySpike, K::kPartition, K::kIsolate, K::kCrash},
      /* kDiskOpen */ {K::kMfile, K::kIo},
      // No short reads: Linux never shortens a read of a regular file but at its end, and Node's
      // fs.readFile counts on it (a short read there is a truncated file, not a fault to survive).
      /* kDiskRead */ {K::kIo},
      /* kDiskWrite */ {K::kShortWrite, K::kNoSpace, K::kIo},
      /* kDiskFsync */ {K::kIo},
  }};
  return kTable[static_cast<size_t>(site)];
}

absl::Status LineError(size_t line, std::string_view what) {
  return absl::InvalidArgumentError("fault profile line " + std::to_string(line) + ": " + std::string(what));
}

// The whitespace-separated words of a line.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// The built-in profiles' chances, a row a kind: `light` and `heavy` side by side. Neither isolates or
// crashes a host.
struct NamedChances {
  FaultKind kind;
  Ratio light;
  Ratio heavy;
};
constexpr NamedChances kNamedChances[] = {
    {FaultKind::kEagain, {1, 100}, {1, 10}},      {FaultKind::kEintr, {1, 200}, {1, 20}},
    {FaultKind::kShortRead, {1, 20}, {1, 4}},     {FaultKind::kShortWrite, {1, 20}, {1, 4}},
    {FaultKind::kConnReset, {1, 2000}, {1, 200}}, {FaultKind::kTimedOut, {1, 5000}, {1, 500}},
    {FaultKind::kNoSpace, {1, 2000}, {1, 200}},   {FaultKind::kIo, {1, 5000}, {1, 500}},
    {FaultKind::kMfile, {1, 1000}, {1, 100}},     {FaultKind::kLatencySpike, {1, 200}, {1, 20}},
    {FaultKind::kPartition, {1, 5000}, {1, 500}},
};

// A built-in profile: one column of kNamedChances.
FaultProfile NamedProfile(Ratio NamedChances::*column) {
  FaultProfile p;
  for (const NamedChances& row : kNamedChances) p[row.kind] = row.*column;
  return p;
}

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone: return "none";
    case FaultKind::kEagain: return "eagain";
    case FaultKind::kEintr: return "eintr";
    case FaultKind::kShortRead: return "short-read";
    case FaultKind::kShortWrite: return "short-write";
    case FaultKind::kConnReset: return "econnreset";
    case FaultKind::kTimedOut: return "etimedout";
    case FaultKind::kNoSpace: return "enospc";
    case FaultKind::kIo: return "eio";
    case FaultKind::kMfile: return "emfile";
    case FaultKind::kLatencySpike: return "latency-spike";
    case FaultKind::kPartition: return "partition";
    case FaultKind::kIsolate: return "isolate";
    case FaultKind::kCrash: return "crash";
    case FaultKind::kCount: break;
  }
  return "unknown";
}

int FaultErrno(FaultKind kind) {
  switch (kind) {
    case FaultKind::kEagain: return -EAGAIN;
    case FaultKind::kEintr: return -EINTR;
    case FaultKind::kConnReset: return -ECONNRESET;
    case FaultKind::kTimedOut: return -ETIMEDOUT;
    case FaultKind::kNoSpace: return -ENOSPC;
    case FaultKind::kIo: return -EIO;
    case FaultKind::kMfile: return -EMFILE;
    default: return 0;
  }
}

FaultProfile FaultProfile::None() { return FaultProfile{}; }

FaultProfile FaultProfile::Light() { return NamedProfile(&NamedChances::light); }

FaultProfile FaultProfile::Heavy() { return NamedProfile(&NamedChances::heavy); }

bool FaultProfile::Named(std::string_view name, FaultProfile* out) {
  if (name == "none") *out = None();
  else if (name == "light") *out = Light();
  else if (name == "heavy") *out = Heavy();
  else return false;
  return true;
}

absl::StatusOr<FaultProfile> FaultProfile::Parse(std::string_view text) {
  FaultProfile p;
  size_t line_no = 0;
  bool seen_setting = false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const std::vector<std::string_view> words = Words(line);
    if (words.empty()) continue;
    if (words.size() != 2) return LineError(line_no, "expected '<setting> <value>'");
    const std::string_view key = words[0], value = words[1];
    const bool first = !seen_setting;
    seen_setting = true;
    if (key == "base") {
      if (!first) return LineError(line_no, "'base' must come before every other setting");
      if (!Named(value, &p)) return LineError(line_no, "unknown base profile (none, light, heavy)");
      continue;
    }
    if (key == "swarm") {
      if (value != "on" && value != "off") return LineError(line_no, "swarm is 'on' or 'off'");
      p.swarm = value == "on";
      continue;
    }
    if (key == "latency-spike-ns" || key == "partition-ns") {
      uint64_t ns;
      if (!ParseU64(value, &ns) || ns == 0 || ns > uint64_t{1} << 50) {
        return LineError(line_no, "expected a positive number of nanoseconds");
      }
      (key == "partition-ns" ? p.partition : p.latency_spike) = Nanos{static_cast<int64_t>(ns)};
      continue;
    }
    FaultKind kind = FaultKind::kNone;
    for (size_t k = 1; k < kFaultKinds; ++k) {
      if (FaultKindName(static_cast<FaultKind>(k)) == key) kind = static_cast<FaultKind>(k);
    }
    if (kind == FaultKind::kNone) return LineError(line_no, "unknown setting '" + std::string(key) + "'");
    const size_t slash = value.find('/');
    uint64_t num, den;
    if (slash == std::string_view::npos || !ParseU64(value.substr(0, slash), &num) ||
        !ParseU64(value.substr(slash + 1), &den) || den < 2 || den > kMaxDen || num >= den) {
      return LineError(line_no, "expected a ratio <num>/<den> with 0 <= num < den <= 1048576");
    }
    p[kind] = {static_cast<uint32_t>(num), static_cast<uint32_t>(den)};
  }
  return p;
}

Faults::Faults(Chooser& chooser, FaultProfile profile, TestMutations mutations)
    : chooser_(chooser), profile_(profile), mutations_(mutations) {
  for (size_t k = 1; k < kFaultKinds; ++k) {
    const Ratio& r = profile_.chance[k];
    // A fault that always fired would need no choice, so it could not be recorded: num < den.
    LS_CHECK(r.num == 0 || r.num < r.den);
    if (r.num == 0) continue;
    enabled_[k] = !profile_.swarm || chooser_.Choose(Site::kFault, 2) == 1;
  }
}

FaultKind Faults::Check(FaultSite site) { return Check(site, FaultKind::kNone); }

FaultKind Faults::Check(FaultSite site, FaultKind impossible) {
  ++checks_;
  for (FaultKind kind : KindsAt(site)) {
    const size_t k = static_cast<size_t>(kind);
    if (!enabled_[k] || kind == impossible) continue;
    if (mutations_.fire_without_choice && checks_ % 5 == 0) {
      ++fired_[k];
      return kind;
    }
    const Ratio& r = profile_.chance[k];
    // Answers [den - num, den) fire, so 0, the plain answer, never does.
    if (chooser_.Choose(Site::kFault, r.den) >= r.den - r.num) {
      ++fired_[k];
      return kind;
    }
  }
  return FaultKind::kNone;
}

uint64_t Faults::ShortLength(uint64_t len) {
  if (len < 2) return len;
  // The plain answer 0 moves all but one byte: the mildest short count.
  return len - 1 - chooser_.Choose(Site::kFault, len - 1);
}

}  // namespace loopsim
