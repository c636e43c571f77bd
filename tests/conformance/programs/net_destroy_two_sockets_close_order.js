// Checks the order of 'close' for sockets destroyed in one callback: libuv runs close callbacks newest first, so the last destroyed closes first.
'use strict';
const net = require('net');
const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    const b = net.connect(port, '127.0.0.1', () => {
      const c = net.connect(port, '127.0.0.1', () => {
        for (const [name, s] of [['a', a], ['b', b], ['c', c]]) {
          s.on('close', () => console.log('close', name));
        }
        setImmediate(() => console.log('immediate before closes'));
        a.destroy();
        b.destroy();
        c.destroy();
        console.log('destroyed a, b, c');
        setTimeout(() => {
          console.log('timer after closes');
          server.close();
        }, 0);
      });
    });
  });
});
