// Checks an http request to a server that never answers: the request 'timeout' event, then destroy gives ECONNRESET 'socket hang up'.
'use strict';
const http = require('http');
const server = http.createServer(() => {
  console.log('server: got request, not answering');
});
server.listen(0, '127.0.0.1', () => {
  const req = http.get({ port: server.address().port, host: '127.0.0.1', timeout: 100 });
  req.on('timeout', () => {
    console.log('client: timeout');
    req.destroy();
  });
  req.on('error', (e) => console.log('client: error', e.code, e.message));
  req.on('close', () => {
    console.log('client: close');
    server.close(() => console.log('server closed'));
    server.closeAllConnections();
  });
});
