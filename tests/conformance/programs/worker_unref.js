// An unref()ed worker does not keep the process alive: the main thread's last timer ends the run
// while the worker still has an interval.
const { Worker, isMainThread, parentPort } = require('worker_threads');
if (isMainThread) {
  const w = new Worker(__filename);
  w.unref();
  setTimeout(() => console.log('main done'), 20);
} else {
  setInterval(() => {}, 1000);
}
