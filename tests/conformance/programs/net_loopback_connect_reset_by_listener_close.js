// Checks a loopback connection that the server closes its listener on before accepting it: the client is reset (ECONNRESET), since the handshake completed inside connect().
// On iocp loopsim prints these lines too, where Windows libuv would differ: its ConnectEx succeeds inside
// the call, so the connect callback reports success, and a pending AcceptEx has already taken the
// connection, which closing the listener closes (src/win/tcp.c, uv__tcp_close) rather than resets.
// Neither is modelled (iocp_backend.cc).
'use strict';
const net = require('net');
const server = net.createServer(() => console.log('connection'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => console.log('connect'));
  c.on('error', (e) => console.log('client error', e.code));
  c.on('close', () => console.log('client close'));
  // net.connect calls connect() in a tick; close the listener two ticks later, before any poll.
  process.nextTick(() => process.nextTick(() => server.close(() => console.log('server closed'))));
});
