// A worker and its parent trade messages: the worker's 'online' comes before its first message, each
// side receives in send order, and 'exit' comes last with the worker's exit code.
const { Worker, isMainThread, parentPort, workerData, threadId } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename, { workerData: { start: 20 } });
  w.on('online', () => console.log('online'));
  w.on('message', (m) => {
    console.log('main got', JSON.stringify(m));
    if (m.n === 22) w.postMessage('stop');
    else if (typeof m.n === 'number') w.postMessage(m.n + 1);
  });
  w.on('exit', (code) => console.log('exit', code, 'threadId', w.threadId));
} else {
  parentPort.postMessage({ n: workerData.start, thread: threadId });
  parentPort.on('message', (m) => {
    if (m === 'stop') {
      parentPort.postMessage({ done: true });
      parentPort.close();
      return;
    }
    parentPort.postMessage({ n: m + 1 });
  });
}
