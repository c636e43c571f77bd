// Checks socket.setTimeout: an idle connection emits 'timeout' once (not closed by it), and data resets the idle timer.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('data', () => {});
  sock.on('end', () => sock.end());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    let timeouts = 0;
    c.setTimeout(50);
    c.on('timeout', () => {
      timeouts++;
      console.log('timeout', timeouts, 'destroyed', c.destroyed);
      if (timeouts === 1) {
        c.write('ping');
        return;
      }
      c.setTimeout(0);
      c.end();
    });
  });
  c.on('close', () => {
    console.log('client close');
    server.close();
  });
});
