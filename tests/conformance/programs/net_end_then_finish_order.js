// Checks the client's events after the server ends a connection: 'end', the automatic end() of our side, 'finish' and 'close', against immediates queued in 'end'.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  sock.end('bye');
  sock.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.resume();
  c.on('end', () => {
    console.log('end, writable', c.writable);
    setImmediate(() => console.log('immediate queued in end'));
    process.nextTick(() => console.log('tick queued in end'));
  });
  c.on('finish', () => console.log('finish'));
  c.on('close', (hadError) => console.log('close', hadError));
});
