// What a child process is given: its own pid and its parent's pid as ppid, the arguments and node
// options of its command line, the environment passed (and only that), and stdio inherited from the
// parent (its output goes straight to the parent's stdout).
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  const parent = Number(process.env.PARENT_PID);
  console.log('child: pid differs', process.pid !== parent, 'ppid is parent', process.ppid === parent);
  console.log('child: argv', JSON.stringify(process.argv.slice(2)));
  console.log('child: execArgv', JSON.stringify(process.execArgv));
  console.log('child: env', process.env.ONLY_THIS, process.env.HOME === undefined);
  console.log('child: main', require.main === module, require('worker_threads').isMainThread);
} else {
  const child = spawn(process.execPath, ['--no-warnings', __filename, 'child', 'a b', 'c'], {
    // LD_LIBRARY_PATH only where the node that records this needs it to start (Debian's 18, unpacked).
    env: { PARENT_PID: String(process.pid), ONLY_THIS: 'yes',
           ...(process.env.LD_LIBRARY_PATH ? { LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH } : {}) },
    stdio: 'inherit',
  });
  child.on('exit', (code) => console.log('parent: exit', code));
}
