// Checks object-mode Readable push/read with highWaterMark counting objects, 'readable' events and null-terminated end.
'use strict';
const { Readable } = require('stream');
let n = 0;
const r = new Readable({
  objectMode: true,
  highWaterMark: 2,
  read() {
    n++;
    console.log('_read', n, 'buffered', this.readableLength);
    if (n <= 3) this.push({ n });
    else this.push(null);
  },
});
r.on('readable', () => {
  let obj;
  const got = [];
  while ((obj = r.read()) !== null) got.push(obj.n);
  console.log('readable ->', got.join(',') || '(none)');
});
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
