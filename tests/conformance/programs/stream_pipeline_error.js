// Checks that an error in a Transform destroys every stream of a pipeline and the callback gets it once, after the 'close' events.
'use strict';
const { pipeline, Readable, Transform, PassThrough } = require('stream');
const src = new Readable({ read() {} });
const bad = new Transform({
  transform(chunk, enc, cb) {
    if (String(chunk) === 'bad') return cb(new Error('bad chunk'));
    cb(null, chunk);
  },
});
const sink = new PassThrough();
sink.resume();
for (const [name, s] of [['src', src], ['bad', bad], ['sink', sink]]) {
  s.on('close', () => console.log(name, 'close', s.destroyed));
  s.on('error', (e) => console.log(name, 'error', e.message));
}
pipeline(src, bad, sink, (err) => console.log('callback', err && err.message));
src.push('ok');
src.push('bad');
src.push('never');
console.log('pushed');
