// Checks that server.close() with an open connection stops accepting but calls back only after that connection closes.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: connection');
  server.close((err) => console.log('server: close callback', err));
  console.log('server: close called, listening', server.listening);
  server.getConnections((err, n) => console.log('server: connections', n));
  let got = '';
  sock.on('data', (d) => {
    got += d;
    if (got.length < 2) return;
    console.log('server: data', got);
    sock.end('bye');
  });
  sock.on('close', () => console.log('server: socket close'));
});
server.on('close', () => console.log('server: close event'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    // Written only after the server accepted: the server replies after its close() call.
    setTimeout(() => c.write('hi'), 10);
  });
  let reply = '';
  c.on('data', (d) => { reply += d; });
  c.on('end', () => console.log('client: end, got', reply));
});
