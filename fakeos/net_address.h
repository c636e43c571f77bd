// Addresses of the virtual network: IPv4 and IPv6 addresses and ports, and unix socket paths. An IPv4
// address is kept in its IPv4-mapped IPv6 form so the two families compare in one space, and a socket
// bound to the IPv6 wildcard can take IPv4 connections as Linux's dual-stack sockets do.
//
// Fault model: none (plain values).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace loopsim {

struct IpAddr {
  std::array<uint8_t, 16> bytes{};
  bool v4 = true;

  // "10.0.0.2", "::1", "0.0.0.0", "::". Returns false if text is not a numeric address.
  static bool Parse(std::string_view text, IpAddr* out);
  // A numeric address known to be valid (tests and configuration); aborts otherwise.
  static IpAddr Of(std::string_view text);
  static IpAddr Any(bool v4);
  static IpAddr Loopback(bool v4);

  bool IsAny() const;
  bool IsLoopback() const;  // 127.0.0.0/8 or ::1
  std::string ToString() const;

  auto operator<=>(const IpAddr&) const = default;
};

struct SockAddr {
  IpAddr ip;
  uint16_t port = 0;
  std::string path;  // non-empty for a unix socket address

  static SockAddr Inet(std::string_view ip, uint16_t port) { return {IpAddr::Of(ip), port, {}}; }
  static SockAddr Unix(std::string path) { return {{}, 0, std::move(path)}; }
  bool is_unix() const { return !path.empty(); }
  std::string ToString() const;

  auto operator<=>(const SockAddr&) const = default;
};

}  // namespace loopsim
