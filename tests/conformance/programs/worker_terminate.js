// terminate() stops a worker that would run forever: its 'exit' reports code 1 and the promise
// terminate() returned resolves with the same code. (Ticks the worker sent while it was being stopped
// may still arrive, so the parent prints none after it asked.)
const { Worker, isMainThread, parentPort } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename);
  let stopping = false;
  w.on('message', (m) => {
    if (stopping) return;
    console.log('tick', m);
    if (m === 2) {
      stopping = true;
      w.terminate().then((code) => console.log('terminated with', code));
    }
  });
  w.on('exit', (code) => console.log('exit', code));
} else {
  let n = 0;
  setInterval(() => parentPort.postMessage(++n), 5);
}
