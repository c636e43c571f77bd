// Checks Object.groupBy and Map.groupBy on results gathered across the loop: a chain of fs.stat
// callbacks, timers and an immediate append to one list, which is grouped once the last of them has run;
// groups keep their items in insertion order, Object.groupBy gives a null-prototype object, and
// Map.groupBy keys by identity.
// requires: node >= 21
'use strict';
const fs = require('fs');
const results = [];
const done = () => {
  if (results.length < 6) return;
  const byKind = Object.groupBy(results, (r) => r.kind);
  console.log(`prototype: ${Object.getPrototypeOf(byKind)}`);
  for (const [kind, items] of Object.entries(byKind)) console.log(`${kind}: ${items.map((r) => r.name).join(' ')}`);
  const parity = Map.groupBy(results, (r) => (r.order % 2 === 0 ? 'even' : 'odd'));
  console.log(`map keys: ${[...parity.keys()].join(' ')}; odd ${parity.get('odd').length}, even ${parity.get('even').length}`);
  const a = { id: 'a' };
  const b = { id: 'a' };
  const byIdentity = Map.groupBy([1, 2, 3, 4], (n) => (n < 3 ? a : b));
  console.log(`identity keys: ${byIdentity.size}, ${byIdentity.get(a)} / ${byIdentity.get(b)}`);
};
const add = (kind, name) => { results.push({ kind, name, order: results.length }); done(); };

fs.stat(__filename, () => {
  add('io', 'stat-1');
  setImmediate(() => add('immediate', 'after-stat'));
  setTimeout(() => {
    add('timer', 'five');
    setTimeout(() => {
      add('timer', 'five-then-one');
      fs.stat(__dirname, () => {
        add('io', 'stat-2');
        setTimeout(() => add('timer', 'ten'), 10);
      });
    }, 1);
  }, 5);
});
