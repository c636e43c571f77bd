// See net_address.h.
#include "fakeos/net_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "fakeos/base/check.h"

namespace loopsim {

bool IpAddr::Parse(std::string_view text, IpAddr* out) {
  const std::string s(text);
  IpAddr a;
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    a.bytes[10] = a.bytes[11] = 0xff;
    std::memcpy(a.bytes.data() + 12, &v4, 4);
    a.v4 = true;
    *out = a;
    return true;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    a.v4 = false;
    *out = a;
    return true;
  }
  return false;
}

IpAddr IpAddr::Of(std::string_view text) {
  IpAddr a;
  LS_CHECK_MSG(Parse(text, &a), "not a numeric address");
  return a;
}

IpAddr IpAddr::Any(bool v4) { return Of(v4 ? "0.0.0.0" : "::"); }
IpAddr IpAddr::Loopback(bool v4) { return Of(v4 ? "127.0.0.1" : "::1"); }

bool IpAddr::IsAny() const { return *this == Any(v4); }

bool IpAddr::IsLoopback() const { return v4 ? bytes[12] == 127 : *this == Loopback(false); }

std::string IpAddr::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (v4) return inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof(buf));
  return inet_ntop(AF_INET6, bytes.data(), buf, sizeof(buf));
}

std::string SockAddr::ToString() const {
  if (is_unix()) return path;
  return ip.v4 ? ip.ToString() + ":" + std::to_string(port) : "[" + ip.ToString() + "]:" + std::to_string(port);
}

}  // namespace loopsim
