// Bug class: a message overtaking another across two ports.
// The parent gives a worker its configuration on a MessageChannel of its own, then, on the next turn of
// its loop, tells it to start over the worker's parentPort. The worker assumes the configuration is
// there when 'start' comes. Messages keep their order on one port only: when both are waiting by the
// time the worker looks, the worker's parentPort (made first) is read first, and it starts without one.
const { Worker, isMainThread, parentPort, workerData, MessageChannel } = require('worker_threads');

if (isMainThread) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(__filename, { workerData: { config: port2 }, transferList: [port2] });
  worker.on('message', (m) => {
    if (m === 'ready') {
      port1.postMessage({ level: 'debug', retries: 3 });
      setImmediate(() => worker.postMessage('start'));
    } else {
      console.log('worker:', m);
      port1.close();
    }
  });
  worker.on('exit', (code) => {
    if (code !== 0) {
      console.error(`the worker started without its configuration (exit ${code})`);
      process.exit(1);
    }
  });
} else {
  let config = null;
  workerData.config.on('message', (c) => {
    config = c;
  });
  parentPort.on('message', (m) => {
    if (m !== 'start') return;
    if (config === null) process.exit(2);
    parentPort.postMessage(`started with level ${config.level}`);
    parentPort.close();
  });
  parentPort.postMessage('ready');
}
