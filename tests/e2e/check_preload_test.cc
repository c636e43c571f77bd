// The check preload (sim/check_preload.js) writes its program events by the names and fields of the trace
// schema (fakeos/base/trace_schema.h, trace::program), which it cannot include: a checked run of a
// program that makes it write every one of them gives exactly the schema's events, each with its fields.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "e2e.h"
#include "fakeos/base/trace_schema.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

namespace program = trace::program;
namespace pkey = trace::program::key;

using Names = std::set<std::string>;

// Every job kind, an immediate, a timeout, an exception a handler catches, a message, and the exit.
constexpr char kEveryEvent[] =
    "'use strict';\n"
    "const { MessageChannel } = require('worker_threads');\n"
    "process.nextTick(() => {});\n"
    "queueMicrotask(() => {});\n"
    "Promise.resolve().then(() => {});\n"
    "setImmediate(() => {});\n"
    "process.on('uncaughtException', () => {});\n"
    "setTimeout(() => { throw new Error('caught'); }, 1);\n"
    "const { port1, port2 } = new MessageChannel();\n"
    "port2.on('message', () => port2.close());\n"
    "port1.postMessage('m');\n";

// The fields each event is written with, by the schema's names.
std::map<std::string, Names> SchemaFields() {
  auto names = [](std::initializer_list<std::string_view> list) {
    Names out;
    for (std::string_view n : list) out.emplace(n);
    return out;
  };
  return {
      {std::string(program::kQueue),
       names({pkey::kJob, pkey::kId, pkey::kContext, pkey::kContextSerial, pkey::kContextKind})},
      {std::string(program::kRun), names({pkey::kJob, pkey::kId})},
      {std::string(program::kImmediateQueue), names({pkey::kId})},
      {std::string(program::kImmediateRun), names({pkey::kId})},
      {std::string(program::kTimeoutQueue), names({pkey::kId, pkey::kDuration, pkey::kRepeat})},
      {std::string(program::kTimeoutRun), names({pkey::kId, pkey::kStart})},
      {std::string(program::kThrow), {}},
      {std::string(program::kExit), {}},
      {std::string(program::kMessageSend), names({pkey::kDigest})},
      {std::string(program::kMessageSent), {}},
      {std::string(program::kMessageReceive), names({pkey::kDigest})},
  };
}

TEST(CheckPreload, WritesTheSchemasEventsWithTheirFields) {
  char dir[] = "/tmp/loopsim-preload-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string script = std::string(dir) + "/every.js", trace_path = std::string(dir) + "/t.jsonl";
  ASSERT_TRUE(WriteFile(script, kEveryEvent));
  const RunResult r = RunProcess(LoopsimCommand({"run", "--seed", "1", "--check", "--trace", trace_path, script}));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const std::map<std::string, Names> schema = SchemaFields();
  Names all;
  for (std::string_view name : program::kAllEvents) all.emplace(name);
  Names schema_names;
  for (const auto& [name, fields] : schema) schema_names.insert(name);
  ASSERT_EQ(schema_names, all) << "SchemaFields() here misses an event of trace::program::kAllEvents";

  const Names fixed = {std::string(trace::key::kTime), std::string(trace::key::kThread),
                       std::string(trace::key::kIteration), std::string(trace::key::kPhase),
                       std::string(trace::key::kEvent)};
  Names seen, jobs, contexts;
  std::istringstream in(Slurp(trace_path));
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(e.is_discarded()) << line;
    const std::string ev = e.value(std::string(trace::key::kEvent), "");
    if (ev.rfind(trace::event::kProgramPrefix, 0) != 0) continue;
    const std::string name = ev.substr(trace::event::kProgramPrefix.size());
    seen.insert(name);
    Names fields;
    for (const auto& [key, value] : e.items()) {
      if (fixed.count(key) == 0) fields.insert(key);
    }
    ASSERT_EQ(schema.count(name), 1u) << "an event the schema does not name: " << line;
    EXPECT_EQ(fields, schema.at(name)) << line;
    if (e.contains(pkey::kJob)) jobs.insert(e[std::string(pkey::kJob)].get<std::string>());
    if (e.contains(pkey::kContextKind)) contexts.insert(e[std::string(pkey::kContextKind)].get<std::string>());
  }
  EXPECT_EQ(seen, all);
  EXPECT_EQ(jobs, (Names{std::string(program::job::kTick), std::string(program::job::kMicrotask),
                         std::string(program::job::kPromise)}));
  for (const std::string& c : contexts) {
    EXPECT_TRUE(c == program::context::kMicrotask || c == program::context::kOther) << c;
  }
  unlink(script.c_str());
  unlink(trace_path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace loopsim::testing
