// Checks stream.pipeline through createGzip and createGunzip: the callback runs once, after the sink finishes, with the full data.
'use strict';
const zlib = require('zlib');
const { pipeline, Readable, Writable } = require('stream');
const parts = [];
const sink = new Writable({
  write(chunk, enc, cb) {
    parts.push(chunk);
    cb();
  },
});
sink.on('finish', () => console.log('sink finish'));
const source = Readable.from(['alpha ', 'beta ', 'gamma ', 'delta'].map((s) => s.repeat(1000)));
pipeline(source, zlib.createGzip(), zlib.createGunzip(), sink, (err) => {
  const text = Buffer.concat(parts).toString();
  console.log('pipeline done', err, text.length, text.slice(0, 12), text.slice(-5));
});
console.log('piped');
