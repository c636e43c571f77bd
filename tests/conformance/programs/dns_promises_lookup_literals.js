// Checks dns.promises.lookup of IP literals and of an empty hostname, and where the awaits resume.
'use strict';
const dnsp = require('dns').promises;
(async () => {
  console.log('v4', await dnsp.lookup('192.168.0.1'));
  console.log('v6 all', await dnsp.lookup('fe80::1', { all: true }));
  console.log('verbatim', await dnsp.lookup('1.1.1.1', { verbatim: true, all: true }));
})();
dnsp.lookup('127.0.0.1').then((r) => console.log('then', r.address, r.family));
process.nextTick(() => console.log('tick'));
console.log('sync end');
