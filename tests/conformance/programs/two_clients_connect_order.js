// Checks the order in which a server accepts two loopback clients that connect one right after the other.
'use strict';
const net = require('net');
const order = [];
const names = new Map();
const server = net.createServer((sock) => {
  order.push(names.get(sock.remotePort));
  sock.end();
  if (order.length === 2) {
    console.log(order.join(','));
    server.close();
  }
});
server.listen(0, '127.0.0.1', () => {
  for (const name of ['a', 'b']) {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.resume();
    // With an IP literal, net.connect calls connect() on a tick; the local port is known right after it.
    process.nextTick(() => names.set(c.localPort, name));
  }
});
