// Checks server-side request/response event order: request 'end', response 'finish', request 'close', socket 'close'; client response end and close.
'use strict';
const http = require('http');
const log = [];
const clientLog = [];
const server = http.createServer((req, res) => {
  log.push('request');
  req.on('end', () => log.push('req end'));
  req.resume();
  res.on('finish', () => log.push('res finish'));
  res.on('close', () => log.push('res close'));
  req.socket.on('close', () => {
    log.push('socket close');
    server.close(() => console.log('server:', log.join(', ')));
  });
  setImmediate(() => res.end('done'));
});
server.listen(0, '127.0.0.1', () => {
  http.get({ port: server.address().port, host: '127.0.0.1', agent: false }, (res) => {
    res.resume();
    res.on('end', () => clientLog.push('res end'));
    res.on('close', () => clientLog.push('res close'));
  });
});
// Client and server events are kept apart: their relative order depends on the network.
process.on('exit', () => console.log('client:', clientLog.join(', ')));
