// process.exit() on the main thread while a worker still runs: node stops the worker and joins its
// thread before the process ends with the code given.
const { Worker, isMainThread, parentPort } = require('worker_threads');
if (isMainThread) {
  const w = new Worker(__filename);
  w.on('message', (m) => { console.log('got', m); process.exit(3); });
} else {
  parentPort.postMessage('hi');
  setInterval(() => {}, 1000);
}
