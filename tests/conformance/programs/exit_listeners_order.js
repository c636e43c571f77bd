// Checks exit listeners run once in order; ticks queued in 'exit' never run, microtasks do on the natural path.
process.on('exit', (code) => {
  console.log('exit listener 1, code', code, 'exiting flag', process._exiting);
  process.nextTick(() => console.log('tick in exit: never'));
  setTimeout(() => console.log('timer in exit: never'), 0);
  setImmediate(() => console.log('immediate in exit: never'));
  Promise.resolve().then(() => console.log('microtask queued in exit listener 1'));
});
process.once('exit', () => console.log('exit listener 2 (once)'));
process.prependListener('exit', () => console.log('exit listener 0 (prepended)'));
process.on('beforeExit', () => console.log('beforeExit'));
setTimeout(() => console.log('last timer'), 2);
