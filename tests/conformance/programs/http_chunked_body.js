// Checks a chunked response (several res.write calls, no content-length) and a chunked request body with trailers.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(String(c)));
  req.on('end', () => {
    console.log('server: te', req.headers['transfer-encoding'], 'body', parts.join(''), 'trailer', req.trailers['x-sum']);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    let i = 0;
    (function next() {
      if (i === 3) return res.end('!');
      res.write('part' + i++ + ';');
      setImmediate(next);
    })();
  });
});
server.listen(0, '127.0.0.1', () => {
  const req = http.request({ port: server.address().port, host: '127.0.0.1', method: 'POST', headers: { Trailer: 'X-Sum' } }, (res) => {
    console.log('client: te', res.headers['transfer-encoding'], 'length', res.headers['content-length']);
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => {
      console.log('client: body', body);
      server.close();
    });
  });
  req.write('x=');
  req.write('1&y=2');
  req.addTrailers({ 'X-Sum': '3' });
  req.end();
});
