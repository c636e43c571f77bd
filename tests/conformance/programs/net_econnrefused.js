// Checks connecting to a closed port: 'error' with ECONNREFUSED (code, syscall, address), then 'close' with hadError true.
'use strict';
const net = require('net');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => console.log('unexpected connect'));
    c.on('error', (err) => {
      console.log('error', err.code, err.errno, err.syscall, err.address, err.port === port);
      console.log('message', err.message.replace(String(port), '<port>'));
      process.nextTick(() => console.log('tick after error'));
    });
    c.on('close', (hadError) => console.log('close', hadError, c.destroyed));
    console.log('connecting', c.connecting);
  });
});
