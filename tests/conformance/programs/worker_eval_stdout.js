// A worker's console output goes through its parent's process.stdout; all of it is written before the
// parent sees 'exit'.
const { Worker } = require('worker_threads');

const w = new Worker(
  `
  const { workerData } = require('worker_threads');
  for (let i = 0; i < 3; i++) console.log('worker line', i, workerData);
  process.stdout.write('no newline;');
  console.log(' done');
  `,
  { eval: true, workerData: 'x' },
);
w.on('exit', (code) => console.log('exit', code));
