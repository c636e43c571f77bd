// Checks listen(0) with no host binds the IPv6 wildcard (dual stack): an IPv4 client reaches it and the server sees a v4-mapped address.
// On iocp the client's connect comes first (NAME.iocp.stdout). On loopback the handshake is over when
// ConnectEx returns, so it succeeds at once and libuv queues the request as pending (src/win/tcp.c,
// uv__tcp_try_connect: UV_SUCCEEDED_WITHOUT_IOCP), to run before the poll phase dequeues the accept
// that the same handshake completed on the port. On Linux the listener is on epoll's ready list from
// inside connect(), and libuv registers the client's watcher only at the next poll, behind it.
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
