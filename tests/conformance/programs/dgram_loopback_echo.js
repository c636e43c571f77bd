// Checks a UDP datagram round trip on loopback: bind, send, message with its size, reply, close callbacks.
'use strict';
const dgram = require('dgram');
const server = dgram.createSocket('udp4');
server.on('message', (msg, rinfo) => {
  console.log('server got', String(msg), rinfo.size, rinfo.family);
  server.send('pong', rinfo.port, rinfo.address);
});
server.bind(0, '127.0.0.1', () => {
  const client = dgram.createSocket('udp4');
  client.on('message', (msg) => {
    console.log('client got', String(msg));
    client.close(() => console.log('client closed'));
    server.close(() => console.log('server closed'));
  });
  client.send('ping', server.address().port, '127.0.0.1');
});
