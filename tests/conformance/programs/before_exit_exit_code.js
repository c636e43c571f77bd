// Checks that 'beforeExit' receives process.exitCode and that exitCode set there becomes the status.
process.exitCode = 3;
let first = true;
process.on('beforeExit', (code) => {
  console.log('beforeExit with', code);
  if (first) {
    first = false;
    setTimeout(() => { console.log('timer changes exitCode'); process.exitCode = 4; }, 1);
  }
});
process.on('exit', (code) => console.log('exit with', code, 'exitCode', process.exitCode));
