// Checks listen(0) with no host binds the IPv6 wildcard (dual stack): an IPv4 client reaches it and the server sees a v4-mapped address.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: remote', sock.remoteAddress, sock.remoteFamily, 'local', sock.localAddress);
  sock.end();
  server.close();
});
server.listen(0, () => {
  const a = server.address();
  console.log('listening on', a.address, a.family);
  const c = net.connect(a.port, '127.0.0.1', () => console.log('client: connected', c.remoteAddress, c.remoteFamily));
  c.resume();
});
