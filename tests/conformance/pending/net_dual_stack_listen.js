// PENDING (loopsim bug): expected "server: remote ::ffff:127.0.0.1 IPv6 local ::ffff:127.0.0.1";
// loopsim, every seed 0..9: "server: remote 127.0.0.1 IPv4 local 127.0.0.1". listen(0) with no host binds
// the IPv6 wildcard (::), and on Linux (IPV6_V6ONLY=0 by default) an IPv4 connection accepted on it is an
// AF_INET6 socket whose getsockname/getpeername give v4-mapped addresses. loopsim's accepted socket reports
// the IPv4 form. The client side ("client: connected 127.0.0.1 IPv4") already matches.
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
