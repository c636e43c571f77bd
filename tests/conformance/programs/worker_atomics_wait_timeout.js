// Atomics.wait with a timeout and no notify returns 'timed-out' once the time has passed (on the
// virtual clock under loopsim).
const { Worker, isMainThread, workerData, parentPort } = require('worker_threads');
if (isMainThread) {
  const w = new Worker(__filename, { workerData: new Int32Array(new SharedArrayBuffer(4)) });
  w.on('message', (m) => console.log(m));
} else {
  const t0 = Date.now();
  const r = Atomics.wait(workerData, 0, 0, 50);
  parentPort.postMessage(r + ' ' + (Date.now() - t0 >= 50));
}
