// Atomics.wait blocks a worker until the parent's Atomics.notify; whether the notify comes before or
// after the wait begins, the worker then reads what the parent stored.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (isMainThread) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(__filename, { workerData: cell });
  w.on('message', (m) => {
    console.log('worker says', m);
    if (m === 'waiting soon') {
      Atomics.store(cell, 0, 5);
      Atomics.notify(cell, 0);
    }
  });
  w.on('exit', (code) => console.log('exit', code));
} else {
  parentPort.postMessage('waiting soon');
  Atomics.wait(workerData, 0, 0);
  parentPort.postMessage('read ' + Atomics.load(workerData, 0));
}
