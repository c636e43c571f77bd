// Checks dns.lookupService on 127.0.0.1 port 80: the reverse name and service name (from the host's tables).
'use strict';
const dns = require('dns');
dns.lookupService('127.0.0.1', 80, (err, host, service) => console.log('lookupService', err, host, service));
