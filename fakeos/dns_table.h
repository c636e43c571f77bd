// The virtual DNS: a fixed table of names and their addresses, consulted by the loop's getaddrinfo and
// getnameinfo. `localhost` is there from the start as 127.0.0.1 only, as /etc/hosts has it on minimal
// Debian images and containers without IPv6 (and on the machine the conformance suite was recorded on);
// a stock Debian 12 also lists ::1, and Node 18 would then try ::1 first. Hosts added to the network add
// their names. Names match case-insensitively, with or without a trailing dot; numeric addresses
// resolve to themselves. Nothing here touches the host's resolver or /etc/hosts.
//
// Fault model: none (lookups go through the thread pool, whose latency is the chooser's).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fakeos/net_address.h"

namespace loopsim {

class DnsTable {
 public:
  DnsTable();

  // Appends addr to the addresses of name.
  void Add(std::string_view name, const IpAddr& addr);
  // Replaces the addresses of name (an empty list removes it).
  void Set(std::string_view name, std::vector<IpAddr> addrs);

  // getaddrinfo: family 0 (any), 4 or 6. Returns 0, or -ENOENT when the name has no address of that
  // family (the loop reports it as EAI_NONAME, which Node shows as ENOTFOUND).
  int Lookup(std::string_view name, int family, std::vector<IpAddr>* out) const;
  // getnameinfo: the first name listed with addr, else its numeric form.
  std::string Reverse(const IpAddr& addr) const;

 private:
  static std::string Key(std::string_view name);
  std::map<std::string, std::vector<IpAddr>> names_;
  std::vector<std::string> order_;  // names in the order they were first added, for Reverse
};

}  // namespace loopsim
