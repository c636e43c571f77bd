// execFile's timeout ends a child that runs too long with SIGTERM (the error says killed, and which
// signal); maxBuffer ends one that writes more than it allows, with ERR_CHILD_PROCESS_STDIO_MAXBUFFER
// and the output cut at the limit.
const { execFile } = require('child_process');

execFile(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeout: 200 }, (error, stdout) => {
  console.log('timeout', error.killed, error.signal, error.code, JSON.stringify(stdout));
  execFile(process.execPath, ['-e', 'process.stdout.write("x".repeat(100))'], { maxBuffer: 10 }, (error, stdout) => {
    console.log('maxBuffer', error.code, JSON.stringify(stdout));
  });
});
