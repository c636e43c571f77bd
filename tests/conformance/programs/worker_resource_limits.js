// A worker that outgrows its resourceLimits is stopped: the parent gets an 'error' with
// ERR_WORKER_OUT_OF_MEMORY, then 'exit' with code 1; the parent itself goes on.
const { Worker } = require('worker_threads');

const w = new Worker(
  `
  const keep = [];
  for (;;) keep.push(new Array(1e5).fill(keep.length));
  `,
  { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } },
);
w.on('error', (err) => console.log('error', err.code));
w.on('exit', (code) => {
  console.log('exit', code);
  setTimeout(() => console.log('parent still runs'), 1);
});
