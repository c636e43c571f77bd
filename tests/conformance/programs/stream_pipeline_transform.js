// Checks stream.pipeline with a Transform (upper-casing, with a flush) into a Writable: transform, flush, final, finish and callback order.
'use strict';
const { pipeline, Readable, Transform, Writable } = require('stream');
const log = (s) => console.log(s);
const upper = new Transform({
  transform(chunk, enc, cb) {
    log('transform ' + chunk);
    cb(null, String(chunk).toUpperCase());
  },
  flush(cb) {
    log('flush');
    cb(null, '!');
  },
});
const out = [];
const sink = new Writable({
  write(chunk, enc, cb) {
    log('write ' + chunk);
    out.push(String(chunk));
    setImmediate(cb);
  },
  final(cb) {
    log('final');
    cb();
  },
});
upper.on('end', () => log('transform end'));
sink.on('finish', () => log('sink finish'));
sink.on('close', () => log('sink close'));
pipeline(Readable.from(['x', 'y']), upper, sink, (err) => {
  log('pipeline callback ' + err + ' ' + out.join(''));
});
