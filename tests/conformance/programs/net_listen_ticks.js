// Checks when 'listening' fires for listen(0, '127.0.0.1'): after a tick queued right after listen, and where promises fall.
'use strict';
const net = require('net');
const server = net.createServer();
server.on('listening', () => console.log('listening event'));
server.listen(0, '127.0.0.1', () => {
  console.log('listen callback', server.listening);
  server.close(() => console.log('closed', server.listening));
  console.log('close called');
});
process.nextTick(() => console.log('tick after listen'));
Promise.resolve().then(() => console.log('promise after listen'));
setImmediate(() => console.log('immediate'));
console.log('listening now?', server.listening);
