// Environment files in the format node's --env-file reads (a .env file): one NAME=VALUE per line;
// blank lines and lines starting with # are skipped; an `export ` before the name is allowed; a value
// in single, double or back quotes is taken as written between them (it may span lines; in double
// quotes \n is a newline); an unquoted value ends at a # that follows a space and is trimmed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace loopsim::sim {

using EnvList = std::vector<std::pair<std::string, std::string>>;

// The variables of `text`, in order. `where` names the file in an error ("FILE:LINE: ...").
absl::StatusOr<EnvList> ParseEnvFile(const std::string& text, const std::string& where);

// Whether `name` can be an environment variable's name: not empty, no '=' and no NUL.
bool IsEnvName(const std::string& name);

}  // namespace loopsim::sim
