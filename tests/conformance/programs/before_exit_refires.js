// Checks that 'beforeExit' fires again each time its listener adds ref'd work, and exit follows once.
let n = 0;
process.on('beforeExit', (code) => {
  n++;
  console.log('beforeExit', n, 'code', code);
  if (n === 1) setTimeout(() => console.log('timer added by beforeExit 1'), 5);
  if (n === 2) setImmediate(() => console.log('immediate added by beforeExit 2'));
  if (n === 3) Promise.resolve().then(() => console.log('microtask in beforeExit 3 does not revive the loop'));
  if (n === 3) process.nextTick(() => console.log('tick in beforeExit 3'));
});
process.on('exit', (code) => console.log('exit', code, 'after', n, 'beforeExit events'));
console.log('main done');
