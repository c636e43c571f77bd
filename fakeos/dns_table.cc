// See dns_table.h.
#include "fakeos/dns_table.h"

#include <algorithm>
#include <cerrno>

namespace loopsim {

DnsTable::DnsTable() { Add("localhost", IpAddr::Loopback(true)); }

std::string DnsTable::Key(std::string_view name) {
  std::string key(name);
  if (!key.empty() && key.back() == '.') key.pop_back();
  std::transform(key.begin(), key.end(), key.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return key;
}

void DnsTable::Add(std::string_view name, const IpAddr& addr) {
  const std::string key = Key(name);
  auto [it, inserted] = names_.try_emplace(key);
  if (inserted) order_.push_back(key);
  it->second.push_back(addr);
}

void DnsTable::Set(std::string_view name, std::vector<IpAddr> addrs) {
  const std::string key = Key(name);
  if (addrs.empty()) {
    names_.erase(key);
    std::erase(order_, key);
    return;
  }
  if (names_.count(key) == 0) order_.push_back(key);
  names_[key] = std::move(addrs);
}

int DnsTable::Lookup(std::string_view name, int family, std::vector<IpAddr>* out) const {
  out->clear();
  IpAddr numeric;
  if (IpAddr::Parse(name, &numeric)) {
    if (family == 0 || (family == 4) == numeric.v4) out->push_back(numeric);
    return out->empty() ? -ENOENT : 0;
  }
  auto it = names_.find(Key(name));
  if (it != names_.end()) {
    for (const IpAddr& a : it->second) {
      if (family == 0 || (family == 4) == a.v4) out->push_back(a);
    }
  }
  return out->empty() ? -ENOENT : 0;
}

std::string DnsTable::Reverse(const IpAddr& addr) const {
  for (const std::string& name : order_) {
    const std::vector<IpAddr>& addrs = names_.at(name);
    if (std::find(addrs.begin(), addrs.end(), addr) != addrs.end()) return name;
  }
  return addr.ToString();
}

}  // namespace loopsim
