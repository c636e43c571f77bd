// PENDING (host DNS): expected (Node 18 here) "first null 127.0.0.1 4" and a single 127.0.0.1 answer;
// loopsim, every seed 0..9: "::1 6" first and [::1, 127.0.0.1]. The virtual DNS table models a stock Debian 12
// /etc/hosts; this machine has only "127.0.0.1 localhost". Legitimate host-fact divergence (see
// net_connect_localhost.js for the consequence that matters).
// Checks dns.lookup('localhost') with no options and with all:true: the addresses the host's resolver gives, in its order.
'use strict';
const dns = require('dns');
dns.lookup('localhost', (err, address, family) => {
  console.log('first', err, address, family);
  dns.lookup('localhost', { all: true }, (err, list) => console.log('all', err, JSON.stringify(list)));
});
