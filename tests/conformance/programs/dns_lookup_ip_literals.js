// Checks dns.lookup of IP literals: answered via nextTick (before promises), with family and all:true shapes.
'use strict';
const dns = require('dns');
dns.lookup('127.0.0.1', (err, address, family) => console.log('v4', err, address, family));
dns.lookup('::1', (err, address, family) => console.log('v6', err, address, family));
dns.lookup('10.1.2.3', { all: true }, (err, list) => console.log('all', err, JSON.stringify(list)));
dns.lookup('::ffff:1.2.3.4', { family: 6 }, (err, address, family) => console.log('mapped', err, address, family));
dns.lookup('127.0.0.1', { family: 4 }, (err, address, family) => console.log('family 4', address, family));
process.nextTick(() => console.log('tick queued after lookups'));
Promise.resolve().then(() => console.log('promise'));
setImmediate(() => console.log('immediate'));
try {
  dns.lookup('127.0.0.1', { family: 5 }, () => {});
} catch (e) {
  console.log('bad family', e.code);
}
try {
  dns.lookup(42, () => {});
} catch (e) {
  console.log('bad hostname', e.code);
}
console.log('sync end');
