// Name resolution on the virtual DNS table: getaddrinfo and getnameinfo, run through the thread-pool
// model like libuv's (so their callbacks come in a later poll phase, after chosen latency), or at once
// without a callback. Nothing reaches the host's resolver.
//
// Host names are looked up as given: libuv's IDNA conversion of non-ASCII names to their punycode form
// is not simulated (the virtual DNS table holds ASCII names).
//
// AI_ADDRCONFIG drops IPv6 answers: the simulated machine has no IPv6 address but loopback, as a typical
// CI container. getnameinfo names well-known ports as /etc/services does (unless NI_NUMERICSERV).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

addrinfo* NewEntry(const IpAddr& ip, uint16_t port, const addrinfo* hints) {
  auto* ai = static_cast<addrinfo*>(std::calloc(1, sizeof(addrinfo) + sizeof(sockaddr_in6)));
  auto* storage = reinterpret_cast<sockaddr*>(ai + 1);
  int len = 0;
  ToSockaddr(SockAddr{ip, port, {}}, storage, &len, !ip.v4);
  ai->ai_family = storage->sa_family;
  ai->ai_addrlen = static_cast<socklen_t>(len);
  ai->ai_addr = storage;
  ai->ai_socktype = hints != nullptr && hints->ai_socktype != 0 ? hints->ai_socktype : SOCK_STREAM;
  ai->ai_protocol = hints != nullptr ? hints->ai_protocol : 0;
  return ai;
}

void Resolve(uv_getaddrinfo_t* req) {
  const addrinfo* hints = req->hints;
  const int family = hints == nullptr ? 0 : hints->ai_family == AF_INET ? 4 : hints->ai_family == AF_INET6 ? 6 : 0;
  uint16_t port = 0;
  if (req->service != nullptr) {
    char* end = nullptr;
    const long p = std::strtol(req->service, &end, 10);
    if (end == req->service || *end != '\0' || p < 0 || p > 65535) {
      req->retcode = UV_EAI_SERVICE;
      return;
    }
    port = static_cast<uint16_t>(p);
  }
  std::vector<IpAddr> addrs;
  if (req->hostname == nullptr) {
    const bool passive = hints != nullptr && (hints->ai_flags & AI_PASSIVE);
    addrs.push_back(passive ? IpAddr::Any(family != 6) : IpAddr::Loopback(family != 6));
  } else if (K().net().dns().Lookup(req->hostname, family, &addrs) < 0) {
    req->retcode = UV_EAI_NONAME;
    return;
  }
  if (hints != nullptr && (hints->ai_flags & AI_ADDRCONFIG)) {
    std::erase_if(addrs, [](const IpAddr& a) { return !a.v4; });
  }
  if (addrs.empty()) {
    req->retcode = UV_EAI_NONAME;
    return;
  }
  addrinfo* head = nullptr;
  addrinfo** tail = &head;
  for (const IpAddr& ip : addrs) {
    *tail = NewEntry(ip, port, hints);
    tail = &(*tail)->ai_next;
  }
  req->addrinfo = head;
  req->retcode = 0;
}

// A few entries of netbase's /etc/services, which every Debian has.
const char* ServiceName(uint16_t port) {
  switch (port) {
    case 21: return "ftp";
    case 22: return "ssh";
    case 23: return "telnet";
    case 25: return "smtp";
    case 53: return "domain";
    case 80: return "http";
    case 110: return "pop3";
    case 143: return "imap2";
    case 443: return "https";
    case 3306: return "mysql";
    case 5432: return "postgresql";
    default: return nullptr;
  }
}

void ReverseResolve(uv_getnameinfo_t* req) {
  SockAddr addr;
  char text[INET6_ADDRSTRLEN];
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(&req->storage);
  uint16_t port = 0;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    port = ntohs(in->sin_port);
  } else {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    port = ntohs(in6->sin6_port);
  }
  IpAddr ip;
  if (!IpAddr::Parse(text, &ip)) {
    req->retcode = UV_EAI_FAMILY;
    return;
  }
  std::snprintf(req->host, sizeof(req->host), "%s", K().net().dns().Reverse(ip).c_str());
  const char* service = (req->flags & NI_NUMERICSERV) ? nullptr : ServiceName(port);
  if (service != nullptr) {
    std::snprintf(req->service, sizeof(req->service), "%s", service);
  } else {
    std::snprintf(req->service, sizeof(req->service), "%u", port);
  }
  req->retcode = 0;
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_getaddrinfo(uv_loop_t* loop, uv_getaddrinfo_t* req, uv_getaddrinfo_cb cb, const char* node,
                   const char* service, const struct addrinfo* hints) {
  if (node == nullptr && service == nullptr) return UV_EINVAL;
  // Only a synchronous lookup may go without a loop (libuv 1.52.1 says so; before, both crashed).
  if (loop == nullptr && cb != nullptr) return UV_EINVAL;
  // libuv converts a host name to its ASCII form into 256 bytes first, refusing an empty name and one
  // that does not fit: the fix of CVE-2024-24806 (src/idna.c, libuv 1.48), which every libuv loopsim
  // follows carries (Debian backported it to 1.44.2-1+deb12u1, Node 20 to its 1.46.0).
  if (node != nullptr && (*node == '\0' || std::strlen(node) >= 256)) return UV_EINVAL;
  req->type = UV_GETADDRINFO;
  req->loop = loop;
  req->cb = cb;
  req->addrinfo = nullptr;
  req->retcode = 0;
  req->hostname = node != nullptr ? strdup(node) : nullptr;
  req->service = service != nullptr ? strdup(service) : nullptr;
  req->hints = nullptr;
  if (hints != nullptr) {
    req->hints = static_cast<addrinfo*>(std::malloc(sizeof(addrinfo)));
    std::memcpy(req->hints, hints, sizeof(addrinfo));
  }
  SetReqId(reinterpret_cast<uv_req_t*>(req), loopsim::runtime::Runtime::Get().NextId());
  auto release = [req] {
    std::free(req->hostname);
    std::free(req->service);
    std::free(req->hints);
    req->hostname = req->service = nullptr;
    req->hints = nullptr;
  };
  if (cb == nullptr) {
    Resolve(req);
    release();
    return req->retcode;
  }
  TraceReq(loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kGetaddrinfo);
  SubmitWork(
      loop, reinterpret_cast<uv_req_t*>(req), [req] { Resolve(req); },
      [req, release](int status) {
        release();
        if (status == UV_ECANCELED) req->retcode = UV_EAI_CANCELED;
        req->cb(req, req->retcode, req->addrinfo);
      });
  return 0;
}

void uv_freeaddrinfo(struct addrinfo* ai) {
  while (ai != nullptr) {
    addrinfo* next = ai->ai_next;
    std::free(ai);
    ai = next;
  }
}

int uv_getnameinfo(uv_loop_t* loop, uv_getnameinfo_t* req, uv_getnameinfo_cb cb, const struct sockaddr* addr,
                   int flags) {
  if (req == nullptr || addr == nullptr) return UV_EINVAL;
  if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) return UV_EINVAL;
  std::memcpy(&req->storage, addr, addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
  req->type = UV_GETNAMEINFO;
  req->loop = loop;
  req->getnameinfo_cb = cb;
  req->flags = flags;
  req->retcode = 0;
  SetReqId(reinterpret_cast<uv_req_t*>(req), loopsim::runtime::Runtime::Get().NextId());
  if (cb == nullptr) {
    ReverseResolve(req);
    return req->retcode;
  }
  TraceReq(loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kGetnameinfo);
  SubmitWork(
      loop, reinterpret_cast<uv_req_t*>(req), [req] { ReverseResolve(req); },
      [req](int status) {
        if (status == UV_ECANCELED) req->retcode = UV_EAI_CANCELED;
        req->getnameinfo_cb(req, req->retcode, req->retcode == 0 ? req->host : nullptr,
                            req->retcode == 0 ? req->service : nullptr);
      });
  return 0;
}

}  // extern "C"
