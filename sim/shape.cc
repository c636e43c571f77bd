// See shape.h.
#include "sim/shape.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace loopsim::sim {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLetter(char c) { return IsLower(c) || IsUpper(c); }
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

constexpr std::string_view kTempPrefixes[] = {
    "/tmp/", "/var/tmp/", "/dev/shm/", "/var/folders/", "/private/tmp/", "/private/var/folders/", "file:///tmp/"};

// A quoted token starting at s[i]: the index of its closing quote, or npos. The quote opens only where a
// word does not go on into it (so the apostrophe of "can't" opens nothing) and closes only where no word
// follows it.
size_t ClosingQuote(std::string_view s, size_t i) {
  const char q = s[i];
  if (q != '\'' && q != '"' && q != '`') return std::string_view::npos;
  if (i > 0 && IsWordChar(s[i - 1])) return std::string_view::npos;
  for (size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] == q && (j + 1 == s.size() || !IsWordChar(s[j + 1]))) return j;
  }
  return std::string_view::npos;
}

// The end of a temp path starting at s[i], or i when none starts there.
size_t TempPathEnd(std::string_view s, size_t i) {
  if (i > 0 && (IsWordChar(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '.')) return i;
  for (std::string_view prefix : kTempPrefixes) {
    if (!StartsWith(s.substr(i), prefix)) continue;
    // The path ends at a space, a quote, a closing bracket or list punctuation, or at a ':' or '.' that
    // ends a clause ("cannot write /tmp/x/out.json: ...").
    size_t j = i + prefix.size();
    while (j < s.size() && !IsSpace(s[j]) && std::string_view("'\"`,;)]}>").find(s[j]) == std::string_view::npos) {
      if ((s[j] == ':' || s[j] == '.') && (j + 1 == s.size() || IsSpace(s[j + 1]))) break;
      ++j;
    }
    return j;
  }
  return i;
}

// The end of a UUID starting at s[i] (8-4-4-4-12 hex digits, not inside a longer word), or i.
size_t UuidEnd(std::string_view s, size_t i) {
  constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  size_t j = i;
  for (size_t g = 0; g < 5; ++g) {
    if (g > 0) {
      if (j >= s.size() || s[j] != '-') return i;
      ++j;
    }
    for (size_t k = 0; k < kGroups[g]; ++k, ++j) {
      if (j >= s.size() || !IsHexDigit(s[j])) return i;
    }
  }
  return j < s.size() && IsWordChar(s[j]) ? i : j;
}

// Letters of one case, each once, making a run of the alphabet in some order: the ids of a few jobs,
// printed in the order they finished.
bool IsPermutation(std::string_view word) {
  if (word.size() < 3 || word.size() > 26) return false;
  const bool lower = IsLower(word[0]);
  bool seen[26] = {};
  char lo = 'z', hi = 'a';
  for (char c : word) {
    if (lower ? !IsLower(c) : !IsUpper(c)) return false;
    const char l = static_cast<char>(lower ? c : c - 'A' + 'a');
    if (seen[l - 'a']) return false;
    seen[l - 'a'] = true;
    lo = std::min(lo, l);
    hi = std::max(hi, l);
  }
  return static_cast<size_t>(hi - lo + 1) == word.size();
}

// One word (a run of letters and digits), masked.
std::string MaskWord(std::string_view word) {
  size_t digits = 0, letters = 0, digit_runs = 0, hex = 0;
  for (size_t k = 0; k < word.size(); ++k) {
    if (IsDigit(word[k])) {
      ++digits;
      if (k == 0 || !IsDigit(word[k - 1])) ++digit_runs;
    } else {
      ++letters;
    }
    if (IsHexDigit(word[k])) ++hex;
  }
  if (word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X') &&
      std::all_of(word.begin() + 2, word.end(), IsHexDigit)) {
    return "<hex>";
  }
  if (word.size() >= 6 && hex == word.size() && digits > 0 && letters > 0) return "<hex>";
  if (word.size() >= 6 && digit_runs >= 2 && letters >= 2) return "<id>";
  if (digits == 0) {
    if (!IsPermutation(word)) return std::string(word);
    std::string sorted(word);
    std::sort(sorted.begin(), sorted.end());
    return "<perm:" + sorted + ">";
  }
  // Digits at the start and the end of the word are numbers; digits inside it (E2BIG) are part of it.
  size_t lead = 0, trail = word.size();
  while (lead < word.size() && IsDigit(word[lead])) ++lead;
  if (lead == word.size()) return "<n>";
  while (trail > lead && IsDigit(word[trail - 1])) --trail;
  std::string out = lead > 0 ? "<n>" : "";
  out += word.substr(lead, trail - lead);
  if (trail < word.size()) out += "<n>";
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

size_t Words(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) n += !IsSpace(s[i]) && (i == 0 || IsSpace(s[i - 1]));
  return n;
}

// Where the last `n` words of `s` begin (0 when it has no more).
size_t LastWordsStart(std::string_view s, size_t n) {
  size_t i = s.size();
  while (n > 0 && i > 0) {
    while (i > 0 && IsSpace(s[i - 1])) --i;
    while (i > 0 && !IsSpace(s[i - 1])) --i;
    --n;
  }
  return n > 0 ? 0 : i;
}

// Where the first `n` words of `s` end (s.size() when it has no more).
size_t FirstWordsEnd(std::string_view s, size_t n) {
  size_t i = 0;
  while (n > 0 && i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    while (i < s.size() && !IsSpace(s[i])) ++i;
    --n;
  }
  return n > 0 ? s.size() : i;
}

// A segment holding a list (parts separated by `sep`) with the list's items sorted. The items are as
// many words long as the inner parts (or, for two parts, the second): text before the first item and
// after the last stays where it is ("got c, a, b from the queue": items c, a and b).
std::string SortList(std::string_view segment, std::string_view sep) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t at = segment.find(sep, start);
    parts.push_back(segment.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  if (parts.size() < 2) return std::string(segment);
  size_t width = 0;
  for (size_t k = 1; k + 1 < parts.size(); ++k) width = std::max(width, Words(parts[k]));
  if (parts.size() == 2) width = Words(parts[1]);
  std::string_view& first = parts.front();
  std::string_view& last = parts.back();
  const size_t first_at = LastWordsStart(first, width);
  const size_t last_end = parts.size() == 2 ? last.size() : FirstWordsEnd(last, width);
  const std::string prefix(first.substr(0, first_at));
  const std::string suffix(last.substr(last_end));
  first = first.substr(first_at);
  last = last.substr(0, last_end);
  std::vector<std::string> items;
  for (std::string_view part : parts) items.emplace_back(Trim(part));
  std::sort(items.begin(), items.end());
  std::string out = prefix;
  const std::string joiner = sep == "," ? ", " : " " + std::string(sep) + " ";
  for (size_t k = 0; k < items.size(); ++k) out += (k == 0 ? "" : joiner) + items[k];
  return out + suffix;
}

}  // namespace

std::string MessageShape(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (const size_t close = ClosingQuote(s, i); close != std::string_view::npos) {
      out += "<str>";
      i = close + 1;
      continue;
    }
    if (const size_t end = TempPathEnd(s, i); end > i) {
      out += "<tmp>";
      i = end;
      continue;
    }
    if (!IsWordChar(s[i]) || (i > 0 && IsWordChar(s[i - 1]))) {
      out += s[i++];
      continue;
    }
    if (const size_t end = UuidEnd(s, i); end > i) {
      out += "<uuid>";
      i = end;
      continue;
    }
    size_t end = i;
    while (end < s.size() && IsWordChar(s[end])) ++end;
    std::string masked = MaskWord(s.substr(i, end - i));
    // A minus sign that no word leads into belongs to the number after it: -4 and 4 are one shape.
    if (StartsWith(masked, "<n>") && i > 0 && s[i - 1] == '-' && !out.empty() && out.back() == '-' &&
        (i == 1 || !IsWordChar(s[i - 2]))) {
      out.pop_back();
    }
    out += masked;
    i = end;
  }
  return out;
}

std::string ShapeKey(std::string_view message) {
  const std::string shape = MessageShape(message);
  // Segments end at brackets and at ": "; the items of a segment's list are sorted.
  std::string key;
  size_t start = 0;
  auto flush = [&](size_t end) {
    const std::string_view segment = std::string_view(shape).substr(start, end - start);
    if (segment.find(',') != std::string_view::npos) {
      key += SortList(segment, ",");
    } else if (segment.find("->") != std::string_view::npos) {
      key += SortList(segment, "->");
    } else {
      key += segment;
    }
  };
  for (size_t i = 0; i < shape.size(); ++i) {
    const char c = shape[i];
    const bool bracket = std::string_view("()[]{}").find(c) != std::string_view::npos;
    const bool colon = c == ':' && i + 1 < shape.size() && shape[i + 1] == ' ';
    if (!bracket && !colon) continue;
    flush(i);
    key += c;
    start = i + 1;
  }
  flush(shape.size());
  return key;
}

std::string FrameSite(std::string_view frame) {
  std::string_view where = frame;
  if (const size_t open = frame.find(" ("); open != std::string_view::npos && !frame.empty() && frame.back() == ')') {
    where = frame.substr(open + 2, frame.size() - open - 3);
  }
  // "/app.js:13:34", "file:///app.mjs:2:7", "/app.js:13": a place in a source file.
  const size_t colon = where.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < where.size() &&
      std::all_of(where.begin() + static_cast<std::ptrdiff_t>(colon) + 1, where.end(), IsDigit)) {
    return std::string(where);
  }
  return MessageShape(where);
}

}  // namespace loopsim::sim
