// Checks epoll's ready-list order on loopback: a socket already watched becomes ready when bytes reach it, one resumed later joins the list when it is registered, after it.
// On iocp B comes first (NAME.iocp.stdout), as Windows libuv orders it. B's server side issues its
// first read (a zero-byte WSARecv, src/win/tcp.c uv__tcp_queue_read) when it is resumed, after B's byte
// is there: the read succeeds at once, and a TCP socket set FILE_SKIP_COMPLETION_PORT_ON_SUCCESS puts
// the request on libuv's pending queue, processed at the start of the next iteration. A's read was
// issued at the connection and completed when A's byte arrived, as a packet on the completion port,
// which libuv dequeues only in the poll phase after that (src/win/core.c, uv_run). The clients' ends
// then come in the order the servers closed, as on Linux.
'use strict';
const net = require('net');
const serverSide = {};
const clients = {};
let accepted = 0;
const server = net.createServer({ pauseOnConnect: true }, (sock) => {
  const name = accepted++ === 0 ? 'A' : 'B';
  serverSide[name] = sock;
  sock.setEncoding('utf8');
  sock.once('data', (d) => {
    console.log('server got', d);
    sock.destroy();
  });
  if (name === 'A') sock.resume();
  if (accepted === 2) {
    setImmediate(() => {
      clients.B.write('B');
      serverSide.B.resume();  // reading starts in a tick, after the write below
      clients.A.write('A');
      server.close();
    });
  }
});
server.listen(0, '127.0.0.1', () => {
  clients.A = net.connect(server.address().port, '127.0.0.1', () => {
    clients.B = net.connect(server.address().port, '127.0.0.1');
    clients.B.on('close', () => console.log('client B closed'));
  });
  clients.A.on('close', () => console.log('client A closed'));
});
