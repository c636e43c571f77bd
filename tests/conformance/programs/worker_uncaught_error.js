// An exception nothing catches in a worker becomes an 'error' event on the Worker object in the
// parent (with the thrown error's message), then 'exit' with code 1.
const { Worker, isMainThread } = require('worker_threads');

if (isMainThread) {
  const w = new Worker(__filename);
  w.on('error', (err) => console.log('error', err.constructor.name, err.message));
  w.on('exit', (code) => console.log('exit', code));
} else {
  setTimeout(() => {
    throw new RangeError('worker failed');
  }, 3);
}
