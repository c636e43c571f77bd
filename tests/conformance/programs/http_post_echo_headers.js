// Checks a POST with a JSON body echoed back, raw header casing, duplicate headers and set-cookie arrays.
// Headers given as an array of pairs are sent exactly as given, so the request has no Host header.
// Node 18 (NAME.v18.stdout) serves it. From Node 20 http.createServer's requireHostHeader option
// defaults to true and the server answers such an HTTP/1.1 request with 400 Bad Request before the
// handler runs: the client sees the 400 and an empty body.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString());
    const raw = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i].toLowerCase() !== 'host') raw.push(req.rawHeaders[i]);
    }
    console.log('server: raw header names', raw.join(','));
    console.log('server: x-dup', req.headers['x-dup']);
    res.writeHead(201, 'Made It', [
      ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Echo-Len', String(parts.reduce((n, p) => n + p.length, 0))],
      ['Content-Type', 'application/json'],
    ]);
    res.end(JSON.stringify({ echo: body, sum: body.a + body.b }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const payload = JSON.stringify({ a: 2, b: 40 });
  const req = http.request({
    port: server.address().port, host: '127.0.0.1', method: 'POST', path: '/echo',
    headers: [['Content-Type', 'application/json'], ['X-Dup', 'one'], ['X-Dup', 'two'], ['content-length', Buffer.byteLength(payload)]],
  }, (res) => {
    console.log('client:', res.statusCode, res.statusMessage, res.headers['set-cookie'], res.headers['x-echo-len']);
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => {
      console.log('client: body', text);
      server.close();
    });
  });
  req.end(payload);
});
