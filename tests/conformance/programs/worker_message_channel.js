// A MessageChannel port transferred to a worker: messages through it arrive in send order, replies
// come back on the other port, and closing one end fires 'close' on both.
const { Worker, isMainThread, parentPort, MessageChannel } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename);
  const { port1, port2 } = new MessageChannel();
  w.postMessage({ port: port2 }, [port2]);
  const got = [];
  port1.on('message', (m) => {
    got.push(m);
    if (got.length === 3) {
      console.log('replies', got.join(','));
      port1.close();
    }
  });
  port1.on('close', () => console.log('port1 closed'));
  for (const x of ['a', 'b', 'c']) port1.postMessage(x);
  w.on('exit', (code) => console.log('exit', code));
} else {
  parentPort.once('message', ({ port }) => {
    port.on('message', (m) => port.postMessage(m.toUpperCase()));
    port.on('close', () => console.log('port2 closed'));
  });
}
