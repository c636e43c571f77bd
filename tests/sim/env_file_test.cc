// Environment files as node's --env-file reads them (sim/env_file.h).
#include "sim/env_file.h"

#include <gtest/gtest.h>

namespace loopsim::sim {
namespace {

TEST(EnvFile, ReadsNamesValuesQuotesAndComments) {
  const absl::StatusOr<EnvList> vars = ParseEnvFile(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "  SPACED =  trimmed  \n"
      "export EXPORTED=1\n"
      "INLINE=kept # dropped\n"
      "HASH=a#b\n"
      "SINGLE='no \\n here # kept'\n"
      "DOUBLE=\"line1\\nline2\"\n"
      "BACK=`b`\n"
      "MULTI=\"first\n"
      "second\"\n"
      "EMPTY=\n"
      "EQUALS=a=b\n",
      ".env");
  ASSERT_TRUE(vars.ok()) << vars.status();
  const EnvList expected = {{"PLAIN", "value"},          {"SPACED", "trimmed"},
                            {"EXPORTED", "1"},           {"INLINE", "kept"},
                            {"HASH", "a#b"},             {"SINGLE", "no \\n here # kept"},
                            {"DOUBLE", "line1\nline2"},  {"BACK", "b"},
                            {"MULTI", "first\nsecond"},  {"EMPTY", ""},
                            {"EQUALS", "a=b"}};
  EXPECT_EQ(*vars, expected);
}

TEST(EnvFile, SaysWhereALineIsWrong) {
  const absl::StatusOr<EnvList> no_equals = ParseEnvFile("A=1\n\nJUST_A_WORD\n", "app.env");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.status().message(), "app.env:3: not NAME=VALUE: 'JUST_A_WORD'");
  const absl::StatusOr<EnvList> unclosed = ParseEnvFile("A=\"open\nstill open\n", "app.env");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().message(), "app.env:1: no closing \" for A");
  EXPECT_FALSE(ParseEnvFile("=value\n", "x").ok());
  EXPECT_FALSE(ParseEnvFile("TWO WORDS=value\n", "x").ok());
}

}  // namespace
}  // namespace loopsim::sim
