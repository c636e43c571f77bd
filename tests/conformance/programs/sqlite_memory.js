// Checks node:sqlite (no flag needed from Node 22.13 and 23.4) on a ':memory:' database between turns of
// the loop: statements prepared in one callback keep working in later timer, immediate and promise
// turns, a transaction that throws is rolled back, iterate() walks rows lazily while ticks wait, and a
// closed database refuses further use.
// requires: node >= 22.13
'use strict';
const { DatabaseSync } = require('node:sqlite');
const { setTimeout: sleep } = require('node:timers/promises');

const db = new DatabaseSync(':memory:');
db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, phase TEXT NOT NULL, n INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO events (phase, n) VALUES (?, ?)');
const count = db.prepare('SELECT phase, COUNT(*) AS c, SUM(n) AS s FROM events GROUP BY phase ORDER BY phase');

let n = 0;
const record = (phase) => insert.run(phase, ++n);
record('main');
process.nextTick(() => record('tick'));
Promise.resolve().then(() => record('microtask'));

async function main() {
  await new Promise((resolve) => setImmediate(() => { record('immediate'); resolve(); }));
  await sleep(5);
  record('timer');
  for (const row of count.all()) console.log(`${row.phase}: ${row.c} rows, sum ${row.s}`);

  try {
    db.exec('BEGIN');
    record('doomed');
    db.exec('INSERT INTO events (phase, n) VALUES (NULL, 0)');
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    console.log(`transaction failed (${e.code}): ${e.message}`);
  }
  console.log(`rows after rollback: ${db.prepare('SELECT COUNT(*) AS c FROM events').get().c}`);

  const seen = [];
  process.nextTick(() => seen.push('tick'));
  for (const row of db.prepare('SELECT phase FROM events ORDER BY id').iterate()) seen.push(row.phase);
  await null;
  console.log(`iterated: ${seen.join(' ')}`);

  const { changes, lastInsertRowid } = insert.run('last', 99);
  console.log(`last insert: changes ${changes}, rowid ${lastInsertRowid}`);
  db.close();
  try {
    count.all();
  } catch (e) {
    console.log(`after close: ${e.code}`);
  }
}
main();
