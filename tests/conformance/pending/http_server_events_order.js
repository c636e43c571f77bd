// PENDING (network model, loopback latency; see net_peer_fin_same_iteration.js): expected "client res
// end" logged before the server's "socket close"; loopsim, every seed 0..9: the server socket closes (and the
// log is printed) before the client's response ends. With agent:false the server ends the socket after the
// response; Linux loopback puts the response and FIN in the client's queue at once, so the client's poll
// phase parses it in the same iteration, before the server socket's close callback. The committed
// programs/http_server_events_order.js prints each side separately.
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
