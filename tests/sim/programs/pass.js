// Passes on every seed: timers, immediates and promises in whatever order.
let n = 0;
setTimeout(() => { n += 1; }, 0);
setImmediate(() => { n += 1; });
Promise.resolve().then(() => { n += 1; });
process.on('exit', () => { if (n !== 3) process.exitCode = 1; });
