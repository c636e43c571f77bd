// exec() runs a shell command line and execFile() a file, each buffering the child's output: a child
// that exits 0, one that exits 2 (the callback's error carries the code and both outputs), and node's
// -p and -e.
const { exec, execFile } = require('child_process');

if (process.argv[2] === 'child') {
  console.log('child args', process.argv.slice(3).join('|'));
  if (process.argv[3] === 'fail') {
    console.error('failing');
    process.exit(2);
  }
} else {
  exec(`"${process.execPath}" "${__filename}" child "two words" x`, (error, stdout, stderr) => {
    console.log('exec ok', error, JSON.stringify(stdout), JSON.stringify(stderr));
    execFile(process.execPath, [__filename, 'child', 'fail'], (error, stdout, stderr) => {
      console.log('execFile fail', error.code, error.killed, error.signal, JSON.stringify(stdout), JSON.stringify(stderr));
      execFile(process.execPath, ['-p', '6 * 7'], (error, stdout) => {
        console.log('-p', error, JSON.stringify(stdout));
        exec(`"${process.execPath}" -e "console.log(process.argv.length)"`, (error, stdout) => {
          console.log('-e', error, JSON.stringify(stdout));
        });
      });
    });
  });
}
