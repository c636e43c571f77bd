// How children end, as their parent sees it: process.exit(7), process.exitCode = 4, an uncaught
// exception and an unhandled rejection (code 1, the error's message on stderr), and a child that
// kills itself with SIGKILL.
const { spawn } = require('child_process');

const programs = [
  'process.exit(7)',
  'process.exitCode = 4; setTimeout(() => {}, 5)',
  'setTimeout(() => { throw new Error("boom") }, 1)',
  'Promise.reject(new Error("rejected"))',
  'process.kill(process.pid, "SIGKILL")',
];
function next(i) {
  if (i === programs.length) return;
  const child = spawn(process.execPath, ['-e', programs[i]]);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  child.on('close', (code, signal) => {
    const message = err.split('\n').find((line) => line.startsWith('Error')) || '';
    console.log(i, code, signal, JSON.stringify(message));
    next(i + 1);
  });
}
next(0);
