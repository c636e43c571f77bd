// Races two TCP clients, each connecting when its own crypto.pbkdf2 completes: the server sees them connect in either order.
//
// Outcomes (two_clients_after_pbkdf2.outcomes), printed as the order in which the server got each
// client's name (each client writes it as soon as it is connected):
// - "a,b": a's hashing (submitted first, same work as b's) finishes first, so a connects and writes
//   first; on loopback its bytes are in the server's socket as soon as the write returns.
// - "b,a": the two pool threads run in parallel and b's finishes first (threads are scheduled freely;
//   equal work gives no order). b then connects first.
// Both clients always connect (the server keeps listening until both are in), so no other output exists.
'use strict';
const crypto = require('crypto');
const net = require('net');
const order = [];
const server = net.createServer((sock) => {
  sock.once('data', (d) => {
    order.push(String(d));
    sock.end();
    if (order.length === 2) {
      console.log(order.join(','));
      server.close();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  for (const name of ['a', 'b']) {
    crypto.pbkdf2(name, 'salt', 2000, 16, 'sha256', () => {
      const c = net.connect(server.address().port, '127.0.0.1', () => c.write(name));
      c.resume();
    });
  }
});
