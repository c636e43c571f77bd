// Checks a unix-socket peer that closes with bytes it never read: the other side's read fails with ECONNRESET (as Linux reports it), not a clean end.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const sockPath = path.join(dir, 's.sock');
const server = net.createServer({ pauseOnConnect: true }, (sock) => {
  // Never reads: the client's bytes stay in this socket's receive queue.
  setTimeout(() => { sock.destroy(); server.close(); }, 50);
});
server.listen(sockPath, () => {
  const c = net.connect(sockPath, () => c.write('unread bytes'));
  c.on('data', (d) => console.log('client data', String(d)));
  c.on('end', () => console.log('client end'));
  c.on('error', (e) => console.log('client error', e.code, e.syscall));
  c.on('close', (hadError) => {
    console.log('client close', hadError);
    fs.rmSync(dir, { recursive: true });
  });
});
