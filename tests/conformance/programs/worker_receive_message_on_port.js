// receiveMessageOnPort takes messages off a port synchronously, in send order, without its 'message'
// event; a worker fills the port and tells the parent on another.
const { Worker, isMainThread, parentPort, workerData, MessageChannel, receiveMessageOnPort } = require('worker_threads');

if (isMainThread) {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(__filename, { workerData: { port: port2 }, transferList: [port2] });
  w.on('message', () => {
    const got = [];
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) got.push(m.message);
    console.log('received', JSON.stringify(got));
    port1.close();
  });
  w.on('exit', (code) => console.log('exit', code));
} else {
  for (const x of ['one', 2, { three: 3 }]) workerData.port.postMessage(x);
  parentPort.postMessage('filled');
}
