// Checks a 404 with default status message, a request to a closed port (ECONNREFUSED on the request) and a HEAD with no body.
// Node 20 (NAME.v20.stdout) reports ECONNRESET without a syscall for the last request: its global agent
// keeps connections alive (from Node 19), server.close() ends the idle one, and the next request is
// written on that pooled socket before its EOF has been read, so the server's reset answers it. Node 18
// has no keep-alive and opens a new connection: ECONNREFUSED. The pinned Node 22, 24 and 26 builds
// keep alive too but check an idle socket for pending input before reusing it (hasPendingRead in
// lib/_http_agent.js: a recv(MSG_PEEK) on its descriptor, outside libuv), find the EOF, destroy it and
// connect anew: ECONNREFUSED, as on 18.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => {
  if (req.url === '/missing') {
    res.statusCode = 404;
    return res.end('nope');
  }
  res.setHeader('Content-Length', 5);
  res.end(req.method === 'HEAD' ? undefined : 'there');
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  http.get({ port, host: '127.0.0.1', path: '/missing' }, (res) => {
    console.log('404:', res.statusCode, res.statusMessage);
    res.resume();
    res.on('end', () => {
      const head = http.request({ port, host: '127.0.0.1', method: 'HEAD', path: '/' }, (res) => {
        let n = 0;
        res.on('data', (c) => { n += c.length; });
        res.on('end', () => {
          console.log('HEAD:', res.statusCode, res.headers['content-length'], 'body bytes', n);
          server.close(() => {
            const req = http.get({ port, host: '127.0.0.1', path: '/' });
            req.on('error', (e) => console.log('after close:', e.code, e.syscall));
            req.on('close', () => console.log('request close'));
          });
        });
      });
      head.end();
    });
  });
});
