// Checks socket.destroy(err): 'error' via nextTick, then 'close' with hadError true in the close phase; the peer sees end/close.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('error', (e) => console.log('server sock error', e.code));
  sock.on('end', () => console.log('server sock end'));
  sock.on('close', (hadError) => {
    console.log('server sock close', hadError);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy(new Error('boom'));
    console.log('destroyed', c.destroyed);
    process.nextTick(() => console.log('tick queued after destroy'));
    setImmediate(() => console.log('immediate after destroy'));
  });
  c.on('error', (e) => console.log('client error', e.message));
  c.on('close', (hadError) => console.log('client close', hadError));
});
