// Checks async zlib errors on corrupt and truncated input: code, errno and message, delivered in chained order.
'use strict';
const zlib = require('zlib');
zlib.gunzip(Buffer.from('definitely not gzip'), (err, out) => {
  console.log('garbage', err.code, err.errno, err.message, out);
  const gz = zlib.gzipSync('some text that will be cut short');
  zlib.gunzip(gz.subarray(0, gz.length - 6), (err) => {
    console.log('truncated', err.code, err.message);
    zlib.inflate(Buffer.from([0x78, 0x9c, 0xff, 0xff]), (err) => {
      console.log('bad inflate', err.code, err.message);
    });
  });
});
