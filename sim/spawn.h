// Starting the explorer's child processes (`loopsim run` per seed, or a zygote): argv as given, the
// caller's descriptor set-up, and always in a process group of its own (so that stopping it takes
// whatever it started along with it), with default signal dispositions and an empty signal mask whatever
// the explorer's threads have blocked.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace loopsim::sim {

// Returns 0 and the child's pid, or the errno of posix_spawn. `actions` may be null; `env` (NAME=VALUE)
// null keeps this process's environment.
int SpawnInOwnGroup(const std::vector<std::string>& argv, const posix_spawn_file_actions_t* actions, pid_t* pid,
                    const std::vector<std::string>* env = nullptr);

}  // namespace loopsim::sim
