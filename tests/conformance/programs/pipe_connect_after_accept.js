// Checks that a unix-socket connect that succeeds at once is reported when the socket polls writable, in the poll phase after the listener's accept (as libuv's src/unix/pipe.c), not from the pending phase before it.
// On iocp (NAME.iocp.stdout) 'connect' comes first: Windows libuv queues a pipe connect that succeeded at
// once as a pending request (src/win/pipe.c, uv_pipe_connect), which runs in the next pending phase,
// before the poll phase that delivers the listener's accept.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const sockPath = path.join(dir, 's.sock');
const server = net.createServer((sock) => {
  console.log('connection');
  server.close(() => {
    console.log('server close');
    fs.rmSync(dir, { recursive: true });
  });
  sock.on('data', (d) => {
    console.log('server data', String(d));
    sock.end('pong');
  });
});
server.listen(sockPath, () => {
  setImmediate(() => console.log('immediate after listening'));
  const c = net.connect(sockPath, () => {
    console.log('connect');
    c.write('ping');
  });
  c.on('data', (d) => console.log('client data', String(d)));
  c.on('close', () => console.log('client close'));
});
