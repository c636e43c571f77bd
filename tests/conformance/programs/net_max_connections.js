// Checks server.maxConnections: a connection over the limit is closed by the server at once, and the client sees end then close.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: accepted');
  sock.on('data', () => {});
});
server.maxConnections = 1;
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const first = net.connect(port, '127.0.0.1', () => {
    const second = net.connect(port, '127.0.0.1');
    second.resume();
    second.on('connect', () => console.log('second: connect'));
    second.on('end', () => console.log('second: end'));
    second.on('error', (e) => console.log('second: error', e.code));
    second.on('close', () => {
      console.log('second: close');
      first.end();
      server.close(() => console.log('server closed'));
    });
  });
});
