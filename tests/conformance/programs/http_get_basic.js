// Checks an http GET on loopback: response status, selected headers, body, and the client-side event order.
// Node 18 (NAME.v18.stdout) answers with `Connection: close`: its http.globalAgent does not keep
// connections alive. From Node 19 the global agents are created with keepAlive: true, so the request
// asks for keep-alive and the response says `keep-alive`; the event order is the same.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => {
  console.log('server:', req.method, req.url, req.httpVersion, req.headers.host.replace(/:\d+$/, ':<port>'));
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Custom', ['a', 'b']);
  res.end('hello world');
});
server.listen(0, '127.0.0.1', () => {
  const req = http.get({ port: server.address().port, host: '127.0.0.1', path: '/p?q=1' }, (res) => {
    console.log('client: status', res.statusCode, res.statusMessage);
    console.log('client: headers', res.headers['content-type'], res.headers['x-custom'], res.headers['content-length'], res.headers.connection);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c) => { body += c; });
    res.on('end', () => {
      console.log('client: body', body, 'complete', res.complete);
      server.close();
    });
  });
  req.on('finish', () => console.log('client: request finished'));
  req.on('close', () => console.log('client: request close'));
});
