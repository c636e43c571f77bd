// Bug class: reading a child's output on 'exit' instead of 'close'.
// A build step runs as a node child process; its report is piped into a log file with
// child.stdout.pipe(fs.createWriteStream(log)), and the parent checks the log when the child emits
// 'exit'. But 'exit' says only that the child ended: its output may still be in the pipe, in the
// stream's buffer, or in a file write the thread pool has not finished. On some interleavings the
// log is read before its last lines are in it.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.argv[2] === 'build') {
  // The build step: a line per module as each is "compiled", then a summary.
  const modules = ['core', 'net', 'ui'];
  let i = 0;
  const step = () => {
    if (i < modules.length) {
      console.log(`compiled ${modules[i++]}`);
      setImmediate(step);
    } else {
      console.log(`done: ${modules.length} modules`);
    }
  };
  step();
} else {
  const log = path.join(os.tmpdir(), 'build.log');
  const child = spawn(process.execPath, [__filename, 'build']);
  child.stdout.pipe(fs.createWriteStream(log));
  child.on('exit', (code) => {
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    console.log(`build exited with ${code}; log has ${lines.length} lines`);
    if (lines[lines.length - 1] !== 'done: 3 modules') {
      console.error(`the build log is incomplete: ${JSON.stringify(lines)}`);
      process.exit(1);
    }
  });
}
