// A real project's layout: the project's root (the nearest folder with a package.json or .git above the
// working directory and the script, or --root) is visible read-only, so a script in one folder reads
// files of another (a test runner in node_modules finds test/); the program's writes stay virtual. And
// commands: nothing a program spawns runs on the host: a command that is not node fails with ENOENT,
// spawnSync and execSync too (they run on a loop of Node's own), a node program runs as a simulated
// process of the same machine, except under spawnSync or execSync, which stop the run with exit code
// 70 (their private loop is not simulated yet). A worker thread's spawnSync and execSync run as the main
// thread's do (tinypool, vitest's pool, calls execSync in each worker).
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "e2e.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

class ProjectTest : public TempDirTest<> {
 protected:
  void SetUpInDir() override {
    ASSERT_EQ(mkdir((dir_ + "/src").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((dir_ + "/test").c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(dir_ + "/package.json", "{\"name\": \"fixture\"}\n"));
    ASSERT_TRUE(WriteFile(dir_ + "/test/data.txt", "from test/\n"));
  }

  RunResult Run(const std::vector<std::string>& args, const std::string& cwd) {
    RunOptions options = LoopsimCommand(args);
    options.cwd = cwd;
    return RunProcess(options);
  }
};

constexpr char kReadsSibling[] =
    "const fs = require('fs'); const path = require('path');\n"
    "const data = path.join(__dirname, '..', 'test', 'data.txt');\n"
    "process.stdout.write(fs.readFileSync(data, 'utf8'));\n"
    "fs.writeFileSync(path.join(__dirname, '..', 'test', 'written.txt'), 'x');\n"
    "console.log(fs.readdirSync(path.join(__dirname, '..', 'test')).join(','));\n";

TEST_F(ProjectTest, ASiblingFolderOfTheScriptIsVisibleAndWritesStayVirtual) {
  ASSERT_TRUE(WriteFile(dir_ + "/src/app.js", kReadsSibling));
  for (const std::string& cwd : {dir_, dir_ + "/src"}) {
    const RunResult r = Run({"run", dir_ + "/src/app.js"}, cwd);
    EXPECT_EQ(r.exit_code, 0) << "from " << cwd << ": " << r.err;
    EXPECT_EQ(r.out, "from test/\ndata.txt,written.txt\n") << "from " << cwd;
  }
  EXPECT_NE(access((dir_ + "/test/written.txt").c_str(), F_OK), 0) << "the program's write reached the host";
}

TEST_F(ProjectTest, RootGivesTheProjectWhenNoMarkerIsAboveTheScript) {
  ASSERT_EQ(unlink((dir_ + "/package.json").c_str()), 0);
  ASSERT_TRUE(WriteFile(dir_ + "/src/app.js", kReadsSibling));
  const RunResult hidden = Run({"run", "src/app.js"}, dir_);
  EXPECT_NE(hidden.exit_code, 0) << "without a package.json or --root, test/ should not be visible";
  EXPECT_NE(hidden.err.find("ENOENT"), std::string::npos) << hidden.err;
  const RunResult shown = Run({"run", "--root", ".", "src/app.js"}, dir_);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out, "from test/\ndata.txt,written.txt\n");
  const RunResult bad = Run({"run", "--root", "no-such-folder", "src/app.js"}, dir_);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--root no-such-folder is not a folder"), std::string::npos) << bad.err;
}

TEST_F(ProjectTest, NoCommandRunsOnTheHost) {
  const std::string marker = dir_ + "/touched-by-a-child";
  ASSERT_TRUE(WriteFile(dir_ + "/spawn.js",
                        "const cp = require('child_process');\n"
                        "const r = cp.spawnSync('touch', [process.argv[2]]);\n"
                        "console.log('spawnSync', r.status, r.error.code);\n"
                        "try { cp.execSync('touch ' + process.argv[2]); } catch (e) { console.log('execSync', e.code); }\n"
                        "cp.exec('touch ' + process.argv[2], (e) => console.log('exec', e.code));\n"
                        "const c = cp.spawn('touch', [process.argv[2]]);\n"
                        "c.on('error', (e) => console.log('spawn', e.code));\n"));
  const RunResult r = Run({"run", "spawn.js", marker}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "spawnSync null ENOENT\nexecSync ENOENT\nexec ENOENT\nspawn ENOENT\n");
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "a spawned command ran on the host";
}

TEST_F(ProjectTest, SpawningNodeRunsASimulatedChildExceptThroughSpawnSync) {
  ASSERT_TRUE(WriteFile(dir_ + "/child.js", "console.log('child ran', process.argv.slice(2).join(','));\n"));
  ASSERT_TRUE(WriteFile(dir_ + "/bin.js", "#!/usr/bin/env node\nconsole.log('bin ran', process.argv[2]);\n"));
  ASSERT_EQ(chmod((dir_ + "/bin.js").c_str(), 0755), 0);
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"require('child_process').fork('child.js', ['a'])", "child ran a\n"},
      {"require('child_process').spawn(process.execPath, ['child.js', 'b'], { stdio: 'inherit' })", "child ran b\n"},
      {"require('child_process').exec('node child.js \"c d\"', (e, out) => process.stdout.write(out))",
       "child ran c d\n"},
      {"require('child_process').spawn('./bin.js', ['e'], { stdio: 'inherit' })", "bin ran e\n"},
  };
  for (const auto& [code, out] : runs) {
    ASSERT_TRUE(WriteFile(dir_ + "/parent.js", code + ";\n"));
    const RunResult r = Run({"run", "parent.js"}, dir_);
    EXPECT_EQ(r.exit_code, 0) << code << ": " << r.err;
    EXPECT_EQ(r.out, out) << code;
  }
  ASSERT_TRUE(WriteFile(dir_ + "/parent.js", "require('child_process').spawnSync('node', ['child.js']);\n"));
  const RunResult r = Run({"run", "parent.js"}, dir_);
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_NE(r.err.find("spawnSync or execSync is not simulated yet"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("ran"), std::string::npos) << "spawnSync ran a child: " << r.out;
}

// The private loop of a worker's spawnSync is Node's own, as the main thread's is: a command that is
// not node fails with ENOENT, a node program stops the run with 70, and the worker's loop keeps its
// rules under --check (the private loop's iterations are not the worker loop's).
TEST_F(ProjectTest, AWorkersSpawnSyncRunsAsTheMainThreads) {
  ASSERT_TRUE(WriteFile(dir_ + "/worker.js",
                        "const { Worker, isMainThread } = require('worker_threads');\n"
                        "const cp = require('child_process');\n"
                        "if (isMainThread) {\n"
                        "  const w = new Worker(__filename, { argv: process.argv.slice(2) });\n"
                        "  w.on('exit', (c) => console.log('exit', c));\n"
                        "} else if (process.argv[2] === 'node') {\n"
                        "  cp.spawnSync(process.execPath, ['-e', '1']);\n"
                        "} else {\n"
                        "  setTimeout(() => {\n"
                        "    try { cp.execSync('cat /proc/cpuinfo | wc -l'); } catch (e) {\n"
                        "      console.log('execSync', e.code);\n"
                        "    }\n"
                        "    console.log('spawnSync', cp.spawnSync('ls').error.code);\n"
                        "    setTimeout(() => console.log('after'), 1);\n"
                        "  }, 1);\n"
                        "}\n"));
  for (const char* seed : {"1", "2"}) {
    const RunResult r = Run({"run", "--check", "--seed", seed, "worker.js"}, dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "execSync ENOENT\nspawnSync ENOENT\nafter\nexit 0\n") << r.err;
  }
  const RunResult node = Run({"run", "worker.js", "node"}, dir_);
  EXPECT_EQ(node.exit_code, 70) << node.err;
  EXPECT_NE(node.err.find("spawnSync or execSync is not simulated yet"), std::string::npos) << node.err;
}

}  // namespace
}  // namespace loopsim::testing
