// Whole files for the tests: read one into a string, write one, make a fresh temporary directory. These
// touch the host's file system, which is the tests' to use (never the simulation's).
#ifndef LOOPSIM_TESTS_SUPPORT_FILES_H_
#define LOOPSIM_TESTS_SUPPORT_FILES_H_

#include <set>
#include <string>

namespace loopsim::testing {

// Reads a whole file; returns false when it cannot be opened. A bool, not a status: the test says which
// file it could not read, and for what.
bool ReadFile(const std::string& path, std::string* contents);

// The whole file, or "" when it cannot be opened (for a test that goes on to compare or parse it, and
// fails there).
std::string Slurp(const std::string& path);

// Writes a whole file; returns false on failure.
bool WriteFile(const std::string& path, const std::string& contents);

// The lines of `text` that are neither empty nor a '#' comment: a list file's entries.
std::set<std::string> ListedLines(const std::string& text);

// A fresh, empty directory under the system temp dir (prefix names it); "" on failure.
std::string MakeTempDir(const std::string& prefix);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_FILES_H_
