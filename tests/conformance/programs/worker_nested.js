// A worker starts a worker of its own; a message climbs back through both parents.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const depth = isMainThread ? 0 : workerData;
if (depth < 2) {
  const w = new Worker(__filename, { workerData: depth + 1 });
  w.on('message', (m) => { if (isMainThread) console.log('top got', m); else parentPort.postMessage(m + '<' + depth); });
} else parentPort.postMessage('leaf' + depth);
