// Bench program: N callbacks of one kind (node dispatch.js KIND N). immediate, tick and promise are chained
// (each callback queues the next); timer starts N timers at once, due over the first 10 ms.
const kind = process.argv[2];
const n = Number(process.argv[3]);
let left = n;
function immediate() { if (--left > 0) setImmediate(immediate); }
function tick() { if (--left > 0) process.nextTick(tick); }
function promise() { if (--left > 0) Promise.resolve().then(promise); }
function timer() { --left; }
if (kind === 'timer') {
  for (let i = 0; i < n; i++) setTimeout(timer, i % 10);
} else if (n > 0) {
  ({ immediate, tick, promise })[kind]();
}
process.on('exit', () => { if (left > 0) { console.error('left', left); process.exitCode = 1; } });
