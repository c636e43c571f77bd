// Checks a Writable with async _write and highWaterMark 2: write return values, 'drain', cork/uncork batching via _writev, then finish.
'use strict';
const { Writable } = require('stream');
const w = new Writable({
  highWaterMark: 2,
  write(chunk, enc, cb) {
    console.log('_write', String(chunk));
    setImmediate(cb);
  },
  writev(chunks, cb) {
    console.log('_writev', chunks.map((c) => String(c.chunk)).join(','));
    setImmediate(cb);
  },
});
console.log('write a', w.write('a'));
console.log('write b', w.write('b'));
console.log('length', w.writableLength);
w.once('drain', () => {
  console.log('drain');
  w.cork();
  w.write('c');
  w.write('d');
  w.write('e');
  process.nextTick(() => {
    w.uncork();
    w.end('f', () => console.log('end cb'));
  });
});
w.on('finish', () => console.log('finish'));
w.on('close', () => console.log('close'));
