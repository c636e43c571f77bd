// Fixed twin of child-output-on-exit.js: the log is read once the child's output is all in it, that
// is when the file stream has finished writing (after the child's stdout ended, which 'close' also
// waits for), not when the child process exited.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.argv[2] === 'build') {
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
  const file = fs.createWriteStream(log);
  child.stdout.pipe(file);
  let code = null;
  child.on('exit', (c) => { code = c; });
  file.on('finish', () => {
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    console.log(`build exited with ${code}; log has ${lines.length} lines`);
    if (lines[lines.length - 1] !== 'done: 3 modules') {
      console.error(`the build log is incomplete: ${JSON.stringify(lines)}`);
      process.exit(1);
    }
  });
}
