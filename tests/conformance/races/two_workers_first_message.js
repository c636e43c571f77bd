// Races two workers started together, each posting its name to the parent after a 1 ms timer: the
// parent hears them in either order.
//
// Outcomes (two_workers_first_message.outcomes):
// - "a,b": a is created first and usually starts first; its timer fires first and its message is
//   first in the parent's queue.
// - "b,a": each worker is a thread of its own that builds its isolate and environment before it runs
//   any of the program (tens of milliseconds, varying from start to start); b overtakes a whenever a's
//   start-up is the slower one, which real Node shows under load.
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (isMainThread) {
  const order = [];
  for (const name of ['a', 'b']) {
    new Worker(__filename, { workerData: name }).on('message', (m) => {
      order.push(m);
      if (order.length === 2) console.log(order.join(','));
    });
  }
} else {
  setTimeout(() => parentPort.postMessage(workerData), 1);
}
