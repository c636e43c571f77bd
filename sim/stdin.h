// The program's stdin. A simulated program's fd 0 is a file of fixed bytes (fakeos/vfs.h, SetStdin), the
// same for every seed and every replay, and the same whether node sees it as `node SCRIPT < FILE` does:
// the simulated machine has no pipes or terminals on its stdio, so how loopsim itself was started never
// shows in a seed's run. The bytes come from `--stdin FILE`, or else from loopsim's own stdin when that is
// a pipe or a regular file (`echo hi | loopsim run app.js`, `loopsim run app.js < input`), read to its end
// once before anything runs. A terminal, /dev/null, a socket or anything else gives the program an empty
// stdin and is never read (reading a terminal would wait for a user). A pipe is read whether or not the
// program will read it (the bytes must be fixed before any seed starts), so a pipe nobody closes keeps
// loopsim waiting; `--stdin /dev/null` is the way out.
//
// Where captured bytes live: `run` keeps them in a temporary file for the one run (the run record calls
// its stdin "-"); explore and shrink, whose printed replay commands must find them after they exit, save
// them as loopsim-stdin-HASH in the current directory (HASH: base/hash.h of the bytes), as explore saves
// failing schedules under ./loopsim-schedules, and pass `--stdin loopsim-stdin-HASH` to every seed and in
// every command they print. The same bytes give the same file, so shards of one exploration agree.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/cli.h"

namespace loopsim::sim {

// loopsim's own stdin read to its end when it is a pipe or a regular file; nullopt when it is anything
// else (nothing is read then).
absl::StatusOr<std::optional<std::string>> ReadOwnStdin();

// Saves captured bytes as `dir`/loopsim-stdin-HASH (left as it is when it already holds them) and
// returns that path.
absl::StatusOr<std::string> SaveStdin(const std::string& bytes, const std::string& dir = ".");

// For explore and shrink: when `flags` has no --stdin and loopsim's own stdin is a pipe or a file, saves
// what it carries (SaveStdin, in the current directory), sets flags->stdin_path to it and says so on
// stderr.
absl::Status PassOwnStdin(RunFlags* flags);

// Saves captured bytes to a new temporary file and returns its path (the caller removes it).
absl::StatusOr<std::string> SaveStdinTemporarily(const std::string& bytes);

}  // namespace loopsim::sim
