// Checks the events of a gzip Transform written by hand: write callbacks, 'finish', then 'end' on the readable side, then 'close'.
'use strict';
const zlib = require('zlib');
const gz = zlib.createGzip();
const out = [];
gz.on('data', (c) => out.push(c));
gz.on('finish', () => console.log('finish'));
gz.on('end', () => {
  console.log('end', zlib.gunzipSync(Buffer.concat(out)).toString());
});
gz.on('close', () => console.log('close'));
gz.write('first;', () => console.log('write 1 cb'));
gz.write('second;', () => console.log('write 2 cb'));
gz.end('third', () => console.log('end cb'));
console.log('written');
