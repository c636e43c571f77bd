// The boot script: loopsim's own --require preload (host.h), the JavaScript half of the seam between
// boot and the seed. It loads the host library again, as a Node-API addon, warms up the builtins typical
// programs use, calls into the library (where a zygote forks), and then removes its traces: node's
// command line as the program sees it (process.execArgv) is the user's, and the script is not in
// require.cache. It also hands the library a function that names the program's frame nearest the top
// of the stack, and tells it that frame when process.exit() is called (for triage: the run record's
// exit and stderr frames).
#pragma once

#include <string>

namespace loopsim::node_host {

// The script's text: `library` is the host library's host path, `exec_argv` the JSON array the program
// sees as process.execArgv, `warm_up` whether to exercise the builtins first.
std::string BootScript(const std::string& library, const std::string& exec_argv, bool warm_up);

}  // namespace loopsim::node_host
