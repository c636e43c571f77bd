// Checks crypto.pbkdf2 results match pbkdf2Sync and that the callback runs after queued ticks and promises; chained calls in order.
'use strict';
const crypto = require('crypto');
const want = crypto.pbkdf2Sync('secret', 'salt', 1000, 16, 'sha256').toString('hex');
console.log('sync', want);
crypto.pbkdf2('secret', 'salt', 1000, 16, 'sha256', (err, key) => {
  console.log('async', err, key.toString('hex') === want);
  setTimeout(() => {
    console.log('timeout from callback');
    crypto.pbkdf2('other', 'salt', 1, 8, 'sha1', (err, key2) => {
      console.log('second', key2.toString('hex'));
    });
  }, 0);
  setImmediate(() => console.log('immediate from callback'));
});
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('promise'));
try {
  crypto.pbkdf2('a', 'b', 1, 8, 'nope', () => {});
} catch (e) {
  console.log('bad digest', e.code);
}
