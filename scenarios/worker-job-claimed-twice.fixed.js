// Fixed twin of worker-job-claimed-twice.js: a worker takes a job before it does anything else, in one
// atomic step (Atomics.compareExchange from free to taken); a job the other worker took first is skipped.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const fs = require('fs');

if (isMainThread) {
  const table = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const runs = new Map();
  let exited = 0;
  for (const name of ['worker A', 'worker B']) {
    const worker = new Worker(__filename, { workerData: { table, name } });
    worker.on('message', ({ job, by }) => runs.set(job, [...(runs.get(job) || []), by]));
    worker.on('exit', () => {
      if (++exited === 2) check();
    });
  }
  function check() {
    for (const [job, by] of runs) {
      if (by.length > 1) {
        console.error(`job ${job} ran ${by.length} times: ${by.join(', ')}`);
        console.error('a job ran twice');
        process.exit(1);
      }
    }
    console.log(`each of ${runs.size} jobs ran once`);
  }
} else {
  const { table, name } = workerData;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  (async () => {
    for (let job = 0; job < table.length; job++) {
      if (Atomics.compareExchange(table, job, 0, 1) !== 0) continue; // taken by the other worker
      await fs.promises.readFile(__filename);
      parentPort.postMessage({ job, by: name });
      await sleep(10);
    }
  })();
}
