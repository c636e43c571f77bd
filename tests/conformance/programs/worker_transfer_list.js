// Transferring an ArrayBuffer moves it: the sender's copy is detached (length 0), the receiver gets
// the bytes; a SharedArrayBuffer is shared instead, so the worker's writes are the parent's.
const { Worker, isMainThread, parentPort } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename);
  const bytes = new Uint8Array([1, 2, 3, 4]);
  const shared = new Int32Array(new SharedArrayBuffer(8));
  w.postMessage({ buffer: bytes.buffer, shared }, [bytes.buffer]);
  console.log('after transfer', bytes.byteLength, bytes.buffer.byteLength);
  w.on('message', (sum) => {
    console.log('sum', sum, 'shared', Array.from(shared).join(','));
    w.terminate();
  });
} else {
  parentPort.on('message', ({ buffer, shared }) => {
    Atomics.store(shared, 0, 41);
    Atomics.add(shared, 1, 2);
    parentPort.postMessage(new Uint8Array(buffer).reduce((a, b) => a + b, 0));
  });
}
