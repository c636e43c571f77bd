// Checks dns.lookup('localhost') with no options and with all:true: the addresses the host's resolver gives, in its order.
'use strict';
const dns = require('dns');
dns.lookup('localhost', (err, address, family) => {
  console.log('first', err, address, family);
  dns.lookup('localhost', { all: true }, (err, list) => console.log('all', err, JSON.stringify(list)));
});
