// Checks that process.exitCode set during the run is the final status and is visible in 'exit'.
setTimeout(() => {
  process.exitCode = 9;
  console.log('set exitCode to 9');
}, 1);
setTimeout(() => {
  console.log('exitCode now', process.exitCode);
  process.exitCode = 42;
}, 5);
process.on('exit', (code) => console.log('exit code', code));
