// Checks process.exit(n) inside a timer: exit listeners get n, nothing else runs, no beforeExit.
process.on('beforeExit', () => console.log('beforeExit: never'));
process.on('exit', (code) => {
  console.log('exit listener code', code);
  Promise.resolve().then(() => console.log('microtask in exit after process.exit: never'));
});
setTimeout(() => {
  console.log('timer calls process.exit(4)');
  process.nextTick(() => console.log('tick: never'));
  Promise.resolve().then(() => console.log('promise: never'));
  process.exit(4);
  console.log('after exit: never');
}, 1);
setTimeout(() => console.log('later timer: never'), 5);
