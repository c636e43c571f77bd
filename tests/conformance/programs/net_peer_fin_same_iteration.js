// Checks that a FIN sent from a timer callback on loopback is seen by the peer in the same loop iteration, before an immediate queued in that timer.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('close', () => console.log('server: socket closed'));
  setTimeout(() => {
    sock.destroy();
    console.log('server: destroyed');
    setImmediate(() => console.log('immediate after destroy'));
  }, 50);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('end', () => console.log('client: end'));
  c.on('close', (hadError) => {
    console.log('client: close', hadError);
    server.close();
  });
});
