// Checks writes issued before the connection is up: they are buffered (pending, writableLength), flushed after 'connect', callbacks in order.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  let got = '';
  sock.on('data', (d) => { got += d; });
  sock.on('end', () => {
    console.log('server got', got);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  console.log('pending', c.pending, 'connecting', c.connecting);
  c.write('one,', () => console.log('write one cb, connecting', c.connecting));
  c.write('two', () => console.log('write two cb'));
  console.log('writableLength', c.writableLength);
  c.end(() => console.log('end cb'));
  c.on('connect', () => console.log('connect, pending', c.pending));
  c.on('ready', () => console.log('ready'));
  c.on('finish', () => console.log('finish'));
  c.on('close', () => console.log('close'));
});
