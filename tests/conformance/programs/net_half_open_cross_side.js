// Checks allowHalfOpen: after the client ends, the server still writes, and the client reads it all before its own 'end' and 'close'.
// On kqueue and iocp (NAME.kqueue.stdout, NAME.iocp.stdout) the client's 'end' and 'close' come after
// the server has printed: the reply and the FIN arrive together; libuv reads the data, sees a short read
// and reads the EOF only at the next readiness (unix stream.c), one iteration later. On Linux the
// EPOLLHUP of a socket shut in both directions lets libuv report the EOF at once (uv__stream_io's POLLHUP
// shortcut); kqueue reports EV_EOF only as UV__POLLRDHUP (kqueue.c), which that shortcut ignores, and
// libuv on Windows (win/tcp.c) learns of EOF from a read that returns 0 in a later completion.
// Node 24 and 26 (NAME.v24.stdout, NAME.v26.stdout) print the kqueue order on Linux too: their libuv
// (1.52) takes the POLLHUP shortcut only when POLLIN is not also set (libuv/libuv#4997, "unix: fix
// partial read handling after POLLHUP"), and here the reply and the FIN arrive together, so the EOF is
// read at the next readiness as on kqueue. Their kqueue and iocp outputs are NAME.kqueue.stdout and
// NAME.iocp.stdout unchanged (kqueue never took the shortcut; Windows libuv is not involved), so they
// need no NAME.vM.BACKEND files. Node 22's libuv (1.51) still has the shortcut.
'use strict';
const net = require('net');
const serverLog = [];
const clientLog = [];
const server = net.createServer({ allowHalfOpen: true }, (sock) => {
  let got = '';
  sock.on('data', (d) => { got += d; });
  sock.on('end', () => {
    serverLog.push(`end (got ${got}, writable ${sock.writable})`);
    sock.write('reply-1;', () => serverLog.push('write cb'));
    setTimeout(() => sock.end('reply-2'), 5);
  });
  sock.on('finish', () => serverLog.push('finish'));
  sock.on('close', (hadError) => {
    serverLog.push(`close ${hadError}`);
    server.close(() => {
      console.log('server:', serverLog.join(', '));
      console.log('client:', clientLog.join(', '));
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true }, () => {
    c.end('request');
  });
  let reply = '';
  c.on('finish', () => clientLog.push(`finish (readable ${c.readable})`));
  c.on('data', (d) => { reply += d; });
  c.on('end', () => clientLog.push(`end (reply ${reply})`));
  c.on('close', (hadError) => clientLog.push(`close ${hadError}`));
});
