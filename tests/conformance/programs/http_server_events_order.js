// Checks server-side request/response event order: request 'end', response 'finish', request 'close', socket close after the client agent ends it.
'use strict';
const http = require('http');
const log = [];
const server = http.createServer((req, res) => {
  log.push('request');
  req.on('end', () => log.push('req end'));
  req.resume();
  res.on('finish', () => log.push('res finish'));
  res.on('close', () => log.push('res close'));
  req.socket.on('close', () => {
    log.push('socket close');
    server.close(() => console.log(log.join('\n')));
  });
  setImmediate(() => res.end('done'));
});
server.listen(0, '127.0.0.1', () => {
  http.get({ port: server.address().port, host: '127.0.0.1', agent: false }, (res) => {
    res.resume();
    res.on('end', () => log.push('client res end'));
  });
});
