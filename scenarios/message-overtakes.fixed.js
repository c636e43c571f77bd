// Fixed twin of message-overtakes.js: the configuration and 'start' travel on the same port, which
// delivers in send order, so the worker always has its configuration when it starts.
const { Worker, isMainThread, parentPort, workerData, MessageChannel } = require('worker_threads');

if (isMainThread) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(__filename, { workerData: { config: port2 }, transferList: [port2] });
  worker.on('message', (m) => {
    if (m === 'ready') {
      port1.postMessage({ level: 'debug', retries: 3 });
      setImmediate(() => port1.postMessage('start'));
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
  workerData.config.on('message', (m) => {
    if (m !== 'start') {
      config = m;
      return;
    }
    if (config === null) process.exit(2);
    parentPort.postMessage(`started with level ${config.level}`);
    workerData.config.close();
    parentPort.close();
  });
  parentPort.postMessage('ready');
}
