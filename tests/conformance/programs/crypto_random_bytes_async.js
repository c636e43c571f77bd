// Checks async randomBytes/randomFill/randomInt callbacks: argument shapes and that each runs after ticks; values are not printed.
'use strict';
const crypto = require('crypto');
crypto.randomBytes(32, (err, buf) => {
  console.log('randomBytes', err, Buffer.isBuffer(buf), buf.length);
  const target = new Uint8Array(8);
  crypto.randomFill(target, 2, 4, (err, out) => {
    console.log('randomFill', err, out === target, target[0], target[1], target[6], target[7]);
    crypto.randomInt(10, 20, (err, n) => {
      console.log('randomInt', err, n >= 10 && n < 20, Number.isInteger(n));
      setImmediate(() => console.log('immediate from callback'));
      setTimeout(() => console.log('timeout from callback'), 0);
    });
  });
});
console.log('sync size', crypto.randomBytes(5).length);
process.nextTick(() => console.log('tick'));
try {
  crypto.randomBytes(-1, () => {});
} catch (e) {
  console.log('negative', e.code);
}
