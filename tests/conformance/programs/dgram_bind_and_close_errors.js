// Checks UDP socket errors: binding a port in use (EADDRINUSE on 'error'), send after close (ERR_SOCKET_DGRAM_NOT_RUNNING) and the 'close' event.
'use strict';
const dgram = require('dgram');
const a = dgram.createSocket('udp4');
a.bind(0, '127.0.0.1', () => {
  const port = a.address().port;
  console.log('a bound', a.address().address, a.address().family);
  const b = dgram.createSocket('udp4');
  b.on('error', (e) => {
    console.log('b error', e.code, e.syscall, e.message.replace(String(port), '<port>'));
    b.close();
    a.on('close', () => console.log('a close event'));
    a.close(() => {
      console.log('a close callback');
      try {
        a.send('late', port, '127.0.0.1');
      } catch (err) {
        console.log('send after close', err.code);
      }
    });
  });
  b.on('listening', () => console.log('b unexpectedly listening'));
  b.bind(port, '127.0.0.1');
});
