// Checks Readable.from over an array and an async generator: data, end and close order relative to ticks and promises.
'use strict';
const { Readable } = require('stream');
const r = Readable.from(['a', 'b', 'c']);
r.on('data', (d) => {
  console.log('array data', d);
  Promise.resolve().then(() => console.log('  microtask after', d));
});
r.on('end', () => console.log('array end'));
r.on('close', () => {
  console.log('array close');
  async function* gen() {
    yield 1;
    await null;
    yield 2;
  }
  const g = Readable.from(gen());
  g.on('data', (d) => console.log('gen data', d));
  g.on('end', () => console.log('gen end'));
  g.on('close', () => console.log('gen close'));
});
process.nextTick(() => console.log('tick'));
console.log('sync end');
