// Checks net.connect('localhost') to a server on 127.0.0.1 reaches it (lookup with AI_ADDRCONFIG) and the addresses each side reports.
// On iocp the client's connect comes first (NAME.iocp.stdout), as in net_dual_stack_listen.js: ConnectEx
// succeeds at once on loopback and libuv runs it from its pending queue, right after the poll phase in
// which the lookup's callback issued it, before the next poll dequeues the listener's accept.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  console.log('server: local', sock.localAddress, 'remote', sock.remoteAddress, sock.remoteFamily);
  sock.end('ok');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: 'localhost' });
  c.on('lookup', (err, address, family, host) => console.log('lookup', err, address, family, host));
  c.on('connect', () => console.log('client: connected to', c.remoteAddress, c.remotePort === server.address().port));
  c.on('data', (d) => console.log('client: data', String(d)));
  c.on('close', () => server.close(() => console.log('server closed')));
});
