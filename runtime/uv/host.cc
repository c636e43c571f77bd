// Host facts and process state: pid, host name, CPUs, memory, uptime, users and groups, environment,
// cwd, temporary directory, network interface names, process title, stdio handle kinds, the clocks.
// Every value comes from the virtual kernel's HostFacts or clock, never from the machine loopsim runs
// on. The simulated machine is a Linux one with cgroup v2 and no memory limit, whose account database
// holds root (uid and gid 0) and the program's user (HostFacts), each with a group of its own and no
// other members, and whose only network interface is the loopback "lo" (index 1).
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>

#include "runtime/uv/internal.h"
#include "runtime/uv/threads.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

// CopyName, for the host-fact calls that refuse a missing or empty buffer first.
int CopyOut(const std::string& value, char* buffer, size_t* size) {
  if (buffer == nullptr || size == nullptr || *size == 0) return UV_EINVAL;
  return CopyName(value, buffer, size);
}

std::vector<std::pair<std::string, std::string>>& Env() { return runtime::Runtime::Get().env(); }

const HostFacts& Host() { return K().host(); }

// An account of the simulated machine's database, by uid; false when there is none.
bool FindUser(uint64_t uid, std::string* name, uint64_t* gid, std::string* shell, std::string* homedir) {
  if (uid == static_cast<uint64_t>(Host().uid)) {
    *name = Host().username;
    *gid = static_cast<uint64_t>(Host().gid);
    *shell = Host().shell;
    *homedir = Host().homedir;
    return true;
  }
  if (uid == 0) {
    *name = "root";
    *gid = 0;
    *shell = "/bin/sh";
    *homedir = "/root";
    return true;
  }
  return false;
}

bool FindGroup(uint64_t gid, std::string* name) {
  if (gid == static_cast<uint64_t>(Host().gid)) {
    *name = Host().username;
    return true;
  }
  if (gid == 0) {
    *name = "root";
    return true;
  }
  return false;
}

int FillPasswd(uv_passwd_t* pwd, uint64_t uid) {
  if (pwd == nullptr) return UV_EINVAL;
  std::string name, shell, homedir;
  uint64_t gid = 0;
  if (!FindUser(uid, &name, &gid, &shell, &homedir)) return UV_ENOENT;
  pwd->username = strdup(name.c_str());
  pwd->uid = static_cast<unsigned long>(uid);
  pwd->gid = static_cast<unsigned long>(gid);
  pwd->shell = strdup(shell.c_str());
  pwd->homedir = strdup(homedir.c_str());
  return 0;
}

// The simulated machine's interface names by index (if_indextoname).
int InterfaceName(unsigned int ifindex, char* buffer, size_t* size) {
  if (buffer == nullptr || size == nullptr || *size == 0) return UV_EINVAL;
  if (ifindex != 1) return UV_ENXIO;
  return CopyName("lo", buffer, size);
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

char** uv_setup_args(int argc, char** argv) { return argv; }

int uv_get_process_title(char* buffer, size_t size) {
  if (buffer == nullptr || size == 0) return UV_EINVAL;
  const std::string& title = loopsim::runtime::Runtime::Get().process_title();
  if (title.size() >= size) return UV_ENOBUFS;
  std::memcpy(buffer, title.c_str(), title.size() + 1);
  return 0;
}

int uv_set_process_title(const char* title) {
  loopsim::runtime::Runtime::Get().process_title() = title;
  return 0;
}

int uv_exepath(char* buffer, size_t* size) {
  if (buffer == nullptr || size == nullptr || *size == 0) return UV_EINVAL;
  const std::string& exe = Host().exepath;
  const size_t n = std::min(exe.size(), *size - 1);
  std::memcpy(buffer, exe.data(), n);
  buffer[n] = '\0';
  *size = n;
  return 0;
}

int uv_cwd(char* buffer, size_t* size) { return CopyOut(K().vfs().cwd(), buffer, size); }

int uv_chdir(const char* dir) { return K().vfs().Chdir(dir); }

uv_pid_t uv_os_getpid(void) { return loopsim::uv::ProcessPid(loopsim::uv::CurrentProcess()); }
uv_pid_t uv_os_getppid(void) { return loopsim::uv::ProcessParentPid(loopsim::uv::CurrentProcess()); }

// Each host of the network has its own name (loopsim --host); the program's own is HostFacts'.
int uv_os_gethostname(char* buffer, size_t* size) {
  const loopsim::HostId host = loopsim::uv::CurrentHost();
  return CopyOut(host == loopsim::Network::kLocalHost ? Host().hostname : K().net().HostName(host), buffer, size);
}

int uv_os_getenv(const char* name, char* buffer, size_t* size) {
  if (name == nullptr) return UV_EINVAL;
  for (const auto& [key, value] : Env()) {
    if (key == name) return CopyOut(value, buffer, size);
  }
  return UV_ENOENT;
}

int uv_os_setenv(const char* name, const char* value) {
  if (name == nullptr || value == nullptr) return UV_EINVAL;
  for (auto& [key, v] : Env()) {
    if (key == name) {
      v = value;
      return 0;
    }
  }
  Env().emplace_back(name, value);
  return 0;
}

int uv_os_unsetenv(const char* name) {
  if (name == nullptr) return UV_EINVAL;
  std::erase_if(Env(), [name](const auto& kv) { return kv.first == name; });
  return 0;
}

int uv_os_environ(uv_env_item_t** envitems, int* count) {
  const auto& env = Env();
  *envitems = static_cast<uv_env_item_t*>(std::calloc(env.size() + 1, sizeof(uv_env_item_t)));
  if (*envitems == nullptr) return UV_ENOMEM;
  for (size_t i = 0; i < env.size(); ++i) {
    (*envitems)[i].name = strdup(env[i].first.c_str());
    (*envitems)[i].value = strdup(env[i].second.c_str());
  }
  *count = static_cast<int>(env.size());
  return 0;
}

void uv_os_free_environ(uv_env_item_t* envitems, int count) {
  for (int i = 0; i < count; ++i) {
    std::free(envitems[i].name);
    std::free(envitems[i].value);
  }
  std::free(envitems);
}

int uv_os_homedir(char* buffer, size_t* size) {
  size_t probe = *size;
  int r = uv_os_getenv("HOME", buffer, &probe);
  if (r != UV_ENOENT) {
    *size = probe;
    return r;
  }
  return CopyOut(Host().homedir, buffer, size);
}

int uv_os_get_passwd(uv_passwd_t* pwd) { return FillPasswd(pwd, static_cast<uint64_t>(Host().uid)); }

int uv_os_get_passwd2(uv_passwd_t* pwd, uv_uid_t uid) { return FillPasswd(pwd, uid); }

// As libuv's: the member list, its strings and the group name share one allocation, which
// uv_os_free_group frees through `members`.
int uv_os_get_group(uv_group_t* grp, uv_uid_t gid) {
  if (grp == nullptr) return UV_EINVAL;
  std::string name;
  if (!FindGroup(gid, &name)) return UV_ENOENT;
  char* block = static_cast<char*>(std::malloc(sizeof(char*) + name.size() + 1));
  if (block == nullptr) return UV_ENOMEM;
  grp->members = reinterpret_cast<char**>(block);
  grp->members[0] = nullptr;  // no members besides the user whose own group it is
  grp->groupname = block + sizeof(char*);
  std::memcpy(grp->groupname, name.c_str(), name.size() + 1);
  grp->gid = static_cast<unsigned long>(gid);
  return 0;
}

void uv_os_free_group(uv_group_t* grp) {
  if (grp == nullptr) return;
  std::free(grp->members);
  grp->members = nullptr;
  grp->groupname = nullptr;
}

// As libuv's unix uv_os_tmpdir: the first of TMPDIR, TMP, TEMP and TEMPDIR that is set, without a
// trailing slash, else /tmp.
int uv_os_tmpdir(char* buffer, size_t* size) {
  if (buffer == nullptr || size == nullptr || *size == 0) return UV_EINVAL;
  for (const char* name : {"TMPDIR", "TMP", "TEMP", "TEMPDIR"}) {
    for (const auto& [key, value] : Env()) {
      if (key != name) continue;
      std::string dir = value;
      if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      return CopyName(dir, buffer, size);
    }
  }
  return CopyName("/tmp", buffer, size);
}

void uv_os_free_passwd(uv_passwd_t* pwd) {
  if (pwd == nullptr) return;
  std::free(pwd->username);
  std::free(pwd->shell);
  std::free(pwd->homedir);
  pwd->username = pwd->shell = pwd->homedir = nullptr;
}

int uv_os_uname(uv_utsname_t* buffer) {
  if (buffer == nullptr) return UV_EINVAL;
  std::snprintf(buffer->sysname, sizeof(buffer->sysname), "%s", Host().sysname.c_str());
  std::snprintf(buffer->release, sizeof(buffer->release), "%s", Host().release.c_str());
  std::snprintf(buffer->version, sizeof(buffer->version), "%s", Host().version.c_str());
  std::snprintf(buffer->machine, sizeof(buffer->machine), "%s", Host().machine.c_str());
  return 0;
}

int uv_os_getpriority(uv_pid_t pid, int* priority) {
  if (priority == nullptr) return UV_EINVAL;
  if (pid != 0 && pid != Host().pid) return UV_ESRCH;
  *priority = 0;
  return 0;
}

int uv_os_setpriority(uv_pid_t pid, int priority) {
  if (priority < UV_PRIORITY_HIGHEST || priority > UV_PRIORITY_LOW) return UV_EINVAL;
  if (pid != 0 && pid != Host().pid) return UV_ESRCH;
  return 0;
}

unsigned int uv_available_parallelism(void) { return static_cast<unsigned>(Host().cpu_count); }

int uv_cpu_info(uv_cpu_info_t** cpu_infos, int* count) {
  const int n = Host().cpu_count;
  auto* infos = static_cast<uv_cpu_info_t*>(std::calloc(static_cast<size_t>(n), sizeof(uv_cpu_info_t)));
  if (infos == nullptr) return UV_ENOMEM;
  // CPU times grow with virtual uptime, so successive readings differ as on a real machine.
  const uint64_t uptime_ms = static_cast<uint64_t>(K().clock().Now().ns / 1000000);
  for (int i = 0; i < n; ++i) {
    infos[i].model = strdup(Host().cpu_model.c_str());
    infos[i].speed = Host().cpu_speed_mhz;
    infos[i].cpu_times.user = uptime_ms / 10 * 2;
    infos[i].cpu_times.nice = 0;
    infos[i].cpu_times.sys = uptime_ms / 10;
    infos[i].cpu_times.idle = uptime_ms / 10 * 7;
    infos[i].cpu_times.irq = 0;
  }
  *cpu_infos = infos;
  *count = n;
  return 0;
}

void uv_free_cpu_info(uv_cpu_info_t* cpu_infos, int count) {
  for (int i = 0; i < count; ++i) std::free(cpu_infos[i].model);
  std::free(cpu_infos);
}

int uv_interface_addresses(uv_interface_address_t** addresses, int* count) {
  // One interface, the loopback, with its IPv4 address.
  auto* a = static_cast<uv_interface_address_t*>(std::calloc(1, sizeof(uv_interface_address_t)));
  if (a == nullptr) return UV_ENOMEM;
  a->name = strdup("lo");
  a->is_internal = 1;
  a->address.address4.sin_family = AF_INET;
  a->address.address4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a->netmask.netmask4.sin_family = AF_INET;
  a->netmask.netmask4.sin_addr.s_addr = htonl(0xff000000u);
  *addresses = a;
  *count = 1;
  return 0;
}

void uv_free_interface_addresses(uv_interface_address_t* addresses, int count) {
  for (int i = 0; i < count; ++i) std::free(addresses[i].name);
  std::free(addresses);
}

uint64_t uv_get_free_memory(void) { return Host().free_memory; }
uint64_t uv_get_total_memory(void) { return Host().total_memory; }
uint64_t uv_get_constrained_memory(void) { return Follows(Change::kUnlimitedMemoryIsUint64Max) ? UINT64_MAX : 0; }

// No cgroup limit: what is free is available.
uint64_t uv_get_available_memory(void) { return Host().free_memory; }

int uv_resident_set_memory(size_t* rss) {
  *rss = Host().rss;
  return 0;
}

int uv_uptime(double* uptime) {
  *uptime = static_cast<double>(K().clock().Now().ns / 1000000) / 1000.0;
  return 0;
}

void uv_loadavg(double avg[3]) { avg[0] = avg[1] = avg[2] = 0; }

int uv_getrusage(uv_rusage_t* rusage) {
  std::memset(rusage, 0, sizeof(*rusage));
  // The process has used the CPU for the virtual time it ran since the simulation started.
  const int64_t us = K().clock().SinceBoot().ns / 1000;
  rusage->ru_utime.tv_sec = us / 1000000;
  rusage->ru_utime.tv_usec = us % 1000000;
  rusage->ru_maxrss = Host().rss / 1024;
  return 0;
}

// The thread's CPU time: the simulated process has one thread that runs JavaScript and callbacks.
int uv_getrusage_thread(uv_rusage_t* rusage) { return uv_getrusage(rusage); }

int uv_clock_gettime(uv_clock_id clock_id, uv_timespec64_t* ts) {
  if (ts == nullptr) return UV_EFAULT;
  int64_t ns = 0;
  switch (clock_id) {
    case UV_CLOCK_MONOTONIC: ns = loopsim::runtime::SimClock().Now().ns; break;
    case UV_CLOCK_REALTIME: ns = loopsim::runtime::SimClock().Wall().ns; break;
    default: return UV_EINVAL;
  }
  ts->tv_sec = ns / 1000000000;
  ts->tv_nsec = static_cast<int32_t>(ns % 1000000000);
  return 0;
}

// On unix both name the interface by index (the "IID" form is Windows' scope id number).
int uv_if_indextoname(unsigned int ifindex, char* buffer, size_t* size) { return InterfaceName(ifindex, buffer, size); }
int uv_if_indextoiid(unsigned int ifindex, char* buffer, size_t* size) { return InterfaceName(ifindex, buffer, size); }

int uv_gettimeofday(uv_timeval64_t* tv) {
  if (tv == nullptr) return UV_EINVAL;
  const int64_t us = loopsim::runtime::SimClock().Wall().ns / 1000;
  tv->tv_sec = us / 1000000;
  tv->tv_usec = static_cast<int32_t>(us % 1000000);
  return 0;
}

void uv_sleep(unsigned int msec) { K().clock().Advance(loopsim::Milliseconds(msec)); }

// The simulated process's stdio are files: output is synchronous and the same whether loopsim's own
// stdout is a terminal, a pipe or a file, so a seed's output never depends on how loopsim was started.
// A socket is a pipe or TCP (a child process's stdio and IPC channel are unix sockets).
uv_handle_type uv_guess_handle(uv_file file) {
  if (file < 0 || !K().vfs().IsOpen(file)) return UV_UNKNOWN_HANDLE;
  if (auto* socket = dynamic_cast<loopsim::StreamSocket*>(K().vfs().Description(file))) {
    loopsim::SockAddr local;
    return socket->LocalAddress(&local) == 0 && !local.is_unix() && local.port != 0 ? UV_TCP : UV_NAMED_PIPE;
  }
  return UV_FILE;
}

void uv_disable_stdio_inheritance(void) {}

void uv_library_shutdown(void) {}

int uv_tty_reset_mode(void) { return 0; }

}  // extern "C"
