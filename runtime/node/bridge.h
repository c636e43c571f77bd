// The boot script's bridge into the library (bridge.cc: a Node-API module), and what the host asks of
// the JavaScript side through it.
#pragma once

#include <string>

namespace loopsim::node_host {

// The program's own frame nearest the top of the current JavaScript stack ("fn (/app.js:3:9)"), as the
// boot script's function names it; "" when no JavaScript of the program is running or JavaScript cannot
// be called now. Call on the JavaScript thread.
std::string ProgramFrame();

}  // namespace loopsim::node_host
