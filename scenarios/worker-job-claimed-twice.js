// Bug class: a worker-pool job claimed twice — check-then-claim across an await, between threads.
// Two worker threads share a table of four jobs in a SharedArrayBuffer (0 = free, 1 = taken). Each worker
// walks the table, and for a job that looks free it first loads the job's input (an fs call), then marks
// the job taken and runs it. A job checked by one worker while the other is still loading that same job's
// input looks free to both, and runs twice: whenever the two workers' walks overlap.
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
      if (Atomics.load(table, job) !== 0) continue; // looks free...
      await fs.promises.readFile(__filename); // ...load its input...
      Atomics.store(table, job, 1); // ...and only now take it
      parentPort.postMessage({ job, by: name });
      await sleep(10); // run it
    }
  })();
}
