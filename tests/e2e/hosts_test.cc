// Several hosts on the virtual network (`--host`, a child's LOOPSIM_HOST), commands that stand in for
// programs the machine lacks (`--command`), a script's own options (`// @loopsim`) and host crashes
// (fault `crash`: the host's processes die, its unsynced file data is lost), and the resolver's
// configuration the machine does not have, under every node of the matrix.
#include <string>

#include <gtest/gtest.h>

#include "node_matrix_test.h"
#include "tests/support/run_checks.h"

namespace loopsim::testing {
namespace {

// A child on host `db` serves on port 5000 of its own host: the parent reaches it by name, while port
// 5000 on the parent's loopback has nobody.
constexpr char kTwoHosts[] =
    "const { fork } = require('child_process');\n"
    "const net = require('net');\n"
    "const os = require('os');\n"
    "if (process.argv[2] === 'db') {\n"
    "  net.createServer((s) => s.end('hello from ' + os.hostname())).listen(5000, () => process.send('up'));\n"
    "} else {\n"
    "  const child = fork(__filename, ['db'], { env: { ...process.env, LOOPSIM_HOST: 'db' } });\n"
    "  child.on('message', () => {\n"
    "    net.connect(5000, '127.0.0.1').on('error', (e) => console.log('loopback:', e.code));\n"
    "    net.connect(5000, 'db', function () {\n"
    "      this.on('data', (d) => { console.log(String(d), 'at', this.remoteAddress); child.kill(); });\n"
    "    });\n"
    "  });\n"
    "}\n";

// A child on host `db` writes one file with an fsync and one without, then keeps talking to its parent
// over the network until the crash fault ends it; the parent reads both files after its exit.
constexpr char kCrash[] =
    "const { fork } = require('child_process');\n"
    "const fs = require('fs');\n"
    "const net = require('net');\n"
    "if (process.argv[2] === 'db') {\n"
    "  let fd = fs.openSync('/tmp/synced.txt', 'w'); fs.writeSync(fd, 'durable'); fs.fsyncSync(fd); fs.closeSync(fd);\n"
    "  fd = fs.openSync('/tmp/unsynced.txt', 'w'); fs.writeSync(fd, 'volatile'); fs.closeSync(fd);\n"
    "  const s = net.connect(6000, process.env.PARENT, () => setInterval(() => s.write('tick'), 10));\n"
    "} else {\n"
    "  const server = net.createServer((s) => s.on('data', () => {})).listen(6000, () => {\n"
    "    const env = { ...process.env, LOOPSIM_HOST: 'db', PARENT: '10.0.0.1' };\n"
    "    fork(__filename, ['db'], { env }).on('exit', (code, signal) => {\n"
    "      console.log('exit', code, signal);\n"
    "      console.log('synced:', fs.readFileSync('/tmp/synced.txt', 'utf8'));\n"
    "      console.log('unsynced:', JSON.stringify(fs.readFileSync('/tmp/unsynced.txt', 'utf8')));\n"
    "      process.exit(0);\n"
    "    });\n"
    "  });\n"
    "}\n";

// `git` is not on the simulated machine; --command can stand a node script in for it.
constexpr char kRunsGit[] =
    "require('child_process').execFile('git', ['status', '--short'], (err, out) => {\n"
    "  console.log(err ? 'git: ' + err.code : 'git said: ' + out.trim());\n"
    "});\n";
constexpr char kFakeGit[] = "console.log('fake git:', process.argv.slice(2).join(' '));\n";

// The simulated machine has no /etc/resolv.conf: dns's name servers are c-ares's default, whatever the
// host's are (c-ares reads the files with the C library, not through libuv).
constexpr char kNameServers[] =
    "console.log(JSON.stringify(require('dns').getServers()));\n"
    "console.log(require('fs').existsSync('/etc/resolv.conf'));\n";

class Hosts : public NodeMatrixTest {
 protected:
  void SetUpInDir() override {
    Write("two-hosts.js", kTwoHosts);
    Write("own-options.js", std::string("// @loopsim --host db=10.0.0.2\n") + kTwoHosts);
    Write("bad-options.js", std::string("// @loopsim --seeds 5\n") + kTwoHosts);
    Write("crash.js", kCrash);
    Write("crash.faults", "swarm off\ncrash 1/3\n");
    Write("runs-git.js", kRunsGit);
    Write("fake-git.js", kFakeGit);
    Write("name-servers.js", kNameServers);
  }
};

TEST_P(Hosts, AChildRunsOnTheHostItsVariableNames) {
  EXPECT_TRUE(Shows(Loopsim({"run", "--host", "db=10.0.0.2", "two-hosts.js"}),
                    {.out_has = {"hello from db at 10.0.0.2", "loopback: ECONNREFUSED"}}));
  // Without the host the spawn fails (node throws what it cannot retry), and loopsim says why.
  EXPECT_TRUE(Shows(Loopsim({"run", "two-hosts.js"}),
                    {.exit_code = 1, .err_has = {"Error: spawn EHOSTUNREACH", "LOOPSIM_HOST=db names no host"}}));
}

TEST_P(Hosts, AScriptCarriesTheOptionsItNeeds) {
  EXPECT_TRUE(Shows(Loopsim({"run", "own-options.js"}), {.out_has = {"hello from db at 10.0.0.2"}}));
  // The command line's own options come after the script's, and win.
  const RunResult moved = Loopsim({"run", "--host", "db=10.0.0.7", "own-options.js"});
  EXPECT_NE(moved.out.find("hello from db at 10.0.0.7"), std::string::npos) << moved.out << moved.err;
  EXPECT_TRUE(Shows(Loopsim({"run", "bad-options.js"}),
                    {.exit_code = 2, .err_has = {"bad-options.js:1: @loopsim takes --host"}}));
}

TEST_P(Hosts, ACrashKillsTheHostsProcessesAndLosesWhatWasNotFsynced) {
  for (const char* seed : {"1", "2"}) {
    const RunResult r =
        Loopsim({"run", "--seed", seed, "--host", "loopsim=10.0.0.1", "--host", "db=10.0.0.2", "--faults", "crash.faults",
                 "--trace", "t.jsonl", "crash.js"});
    EXPECT_TRUE(Shows(r, {.out_has = {"exit null SIGKILL\nsynced: durable\nunsynced: \"\"\n"}}));
    EXPECT_NE(Slurp(dir_ + "/t.jsonl").find("\"ev\":\"host_crash\",\"host\":\"db\""), std::string::npos);
  }
}

TEST_P(Hosts, ACommandTheMachineLacksRunsTheScriptThatStandsInForIt) {
  EXPECT_TRUE(Shows(Loopsim({"run", "--command", "git=fake-git.js", "runs-git.js"}),
                    {.out_has = {"git said: fake git: status --short"}}));
  const RunResult without = Loopsim({"run", "runs-git.js"});
  EXPECT_NE(without.out.find("git: ENOENT"), std::string::npos) << without.out;
}

TEST_P(Hosts, DnsSeesNoneOfTheHostsResolverConfiguration) {
  const RunResult result = Loopsim({"run", "name-servers.js"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "[\"127.0.0.1\"]\nfalse\n");
}

LOOPSIM_TEST_ON_EVERY_NODE(Hosts);

}  // namespace
}  // namespace loopsim::testing
