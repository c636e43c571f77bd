// Checks stream.finished and stream/promises.finished for normal end, destroy without error and destroy with error.
'use strict';
const { Readable, PassThrough, finished } = require('stream');
const { finished: finishedP } = require('stream/promises');
const a = Readable.from(['x']);
a.resume();
finished(a, (err) => console.log('a finished', err));
const b = new PassThrough();
finished(b, (err) => console.log('b finished', err && err.code));
b.destroy();
const c = new PassThrough();
finishedP(c).catch((e) => console.log('c rejected', e.message));
c.destroy(new Error('c failed'));
const d = new PassThrough();
finishedP(d).then(() => console.log('d resolved'));
d.end('data');
d.resume();
console.log('sync end');
