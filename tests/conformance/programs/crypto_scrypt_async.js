// Checks crypto.scrypt async results (default and custom cost) against scryptSync, chained so the order is fixed.
'use strict';
const crypto = require('crypto');
crypto.scrypt('pw', 'salt', 16, (err, a) => {
  console.log('default', err, a.toString('hex'), a.equals(crypto.scryptSync('pw', 'salt', 16)));
  crypto.scrypt('pw', 'salt', 8, { N: 1024, r: 4, p: 1 }, (err, b) => {
    console.log('custom', err, b.toString('hex'));
    crypto.scrypt('pw', 'salt', 4, { N: 16 }, (err, c) => console.log('tiny N', err, c.toString('hex')));
  });
});
try {
  crypto.scrypt('pw', 'salt', 8, { N: 3 }, () => {});
} catch (e) {
  console.log('bad N', e.code);
}
console.log('submitted');
