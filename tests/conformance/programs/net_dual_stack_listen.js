// Checks listen(0) with no host binds the IPv6 wildcard (dual stack): an IPv4 client reaches it and the server sees a v4-mapped address.
// On iocp the client's connect completion and the server's accept completion finish at the same virtual
// instant and the seed orders them (loopsim's IOCP model dequeues same-instant packets in the seed's
// order), so either line may come first: NAME.iocp.stdout (accept first, as on Linux, where libuv
// registers the client's watcher after the listener is already on epoll's ready list) and
// NAME.iocp.2.stdout (connect first, the order Windows gives when ConnectEx completes before AcceptEx).
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
