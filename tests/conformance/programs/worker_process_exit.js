// process.exit() in a worker ends the worker only: the parent sees the message posted before it and an
// 'exit' with that code, and goes on.
const { Worker, isMainThread, parentPort } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename);
  w.on('message', (m) => console.log('message', m));
  w.on('exit', (code) => {
    console.log('exit', code);
    setTimeout(() => console.log('main still runs'), 5);
  });
  process.on('exit', (code) => console.log('process exit', code));
} else {
  parentPort.postMessage('bye');
  process.on('exit', (code) => parentPort.postMessage('never delivered ' + code));
  process.exit(7);
}
