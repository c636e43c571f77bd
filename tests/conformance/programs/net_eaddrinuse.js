// Checks that listening twice on the same port emits 'error' EADDRINUSE (via nextTick) and that the first server still serves.
'use strict';
const net = require('net');
const a = net.createServer((s) => s.end('from a'));
a.listen(0, '127.0.0.1', () => {
  const port = a.address().port;
  const b = net.createServer();
  b.on('error', (e) => {
    console.log('b error', e.code, e.syscall, e.address, e.port === port);
    console.log('b message', e.message.replace(String(port), '<port>'));
    console.log('b listening', b.listening);
    let got = '';
    net.connect(port, '127.0.0.1').on('data', (d) => { got += d; }).on('end', () => {
      console.log('client got', got);
      a.close(() => console.log('a closed'));
    });
  });
  b.on('listening', () => console.log('b unexpectedly listening'));
  b.listen(port, '127.0.0.1');
  process.nextTick(() => console.log('tick after b.listen'));
});
