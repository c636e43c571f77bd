// Races two node child processes started together, each ending after a 1 ms timer: the parent sees
// their 'exit' events in either order.
//
// Outcomes (two_children_first_exit.outcomes):
// - "a,b": a is spawned first and usually starts first; its timer fires first and it ends first.
// - "b,a": each child is a process of its own that boots node before it runs any of the program (tens
//   of milliseconds, varying from start to start); b overtakes a whenever a's start-up is the slower
//   one, which real Node shows under load.
'use strict';
const { fork } = require('child_process');

if (process.argv[2]) {
  setTimeout(() => {}, 1);
} else {
  const order = [];
  for (const name of ['a', 'b']) {
    fork(__filename, [name]).on('exit', () => {
      order.push(name);
      if (order.length === 2) console.log(order.join(','));
    });
  }
}
