// Bench program: timers, immediates, nextTicks and promise chains, no I/O.
let total = 0;
function chain(n) {
  let p = Promise.resolve(0);
  for (let i = 0; i < n; i++) p = p.then((v) => v + 1);
  return p;
}
for (let i = 0; i < 20; i++) {
  setTimeout(() => chain(10).then((v) => { total += v; }), i % 5);
  setImmediate(() => process.nextTick(() => { total += 1; }));
}
process.on('exit', () => {
  if (total !== 220) {
    console.error('total', total);
    process.exitCode = 1;
  }
});
