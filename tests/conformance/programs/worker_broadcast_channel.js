// A BroadcastChannel reaches the instances of its name in other threads, in the order one sender sent;
// the sender does not hear itself. The worker answers on its parentPort.
const { Worker, isMainThread, parentPort, BroadcastChannel } = require('worker_threads');

if (isMainThread) {
  const channel = new BroadcastChannel('news');
  channel.onmessage = (event) => console.log('main heard itself?', event.data);
  const w = new Worker(__filename);
  w.on('message', (m) => {
    if (m === 'ready') {
      for (const x of [1, 2, 3]) channel.postMessage(x);
      return;
    }
    console.log('worker heard', m);
    channel.close();
  });
  w.on('exit', (code) => console.log('exit', code));
} else {
  const channel = new BroadcastChannel('news');
  const heard = [];
  channel.onmessage = (event) => {
    heard.push(event.data);
    if (heard.length === 3) {
      parentPort.postMessage(heard.join(','));
      channel.close();
    }
  };
  parentPort.postMessage('ready');
}
