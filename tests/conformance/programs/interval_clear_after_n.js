// Checks that an interval repeats until cleared from its own callback after N runs, draining ticks after each run.
let n = 0;
const iv = setInterval(function (label) {
  n++;
  console.log(label, n, 'this is the interval:', this === iv);
  process.nextTick(() => console.log('  tick after', n));
  if (n === 5) {
    clearInterval(iv);
    console.log('cleared');
  }
}, 3, 'interval');
process.on('exit', () => console.log('exit after', n, 'runs'));
