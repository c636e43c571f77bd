// Checks zlib gzip/gunzip, deflate/inflate and brotli async callbacks chained in order, and that results match the sync forms.
'use strict';
const zlib = require('zlib');
const input = Buffer.from('loopsim '.repeat(200));
zlib.gzip(input, (err, gz) => {
  console.log('gzip', err, gz[0], gz[1], gz.length < input.length, gz.equals(zlib.gzipSync(input)));
  zlib.gunzip(gz, (err, out) => {
    console.log('gunzip', err, out.equals(input));
    zlib.deflateRaw(input, { level: 1 }, (err, raw) => {
      zlib.inflateRaw(raw, (err, back) => {
        console.log('raw roundtrip', err, back.length);
        zlib.brotliCompress(input, (err, br) => {
          zlib.brotliDecompress(br, (err, back2) => {
            console.log('brotli roundtrip', err, back2.toString() === input.toString());
          });
        });
      });
    });
  });
  process.nextTick(() => console.log('tick in gzip callback'));
});
console.log('sync end');
