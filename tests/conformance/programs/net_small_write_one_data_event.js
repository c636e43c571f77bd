// Checks that one small write (5 bytes) on loopback reaches the peer as a single 'data' event.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  const chunks = [];
  sock.on('data', (d) => chunks.push(String(d)));
  sock.on('end', () => {
    console.log('data events', chunks.length, 'content', chunks.join(''));
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('hello');
  });
});
