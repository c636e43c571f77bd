// Checks Expect: 100-continue: the server's 'checkContinue' answers, the client gets 'continue' before sending the body, then the response.
'use strict';
const http = require('http');
const server = http.createServer();
server.on('checkContinue', (req, res) => {
  console.log('server: checkContinue', req.headers.expect);
  res.writeContinue();
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => res.end('got ' + body));
});
server.listen(0, '127.0.0.1', () => {
  const req = http.request({ port: server.address().port, host: '127.0.0.1', method: 'PUT', headers: { Expect: '100-continue' } }, (res) => {
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => {
      console.log('client: response', res.statusCode, text);
      server.close();
    });
  });
  req.on('continue', () => {
    console.log('client: continue');
    req.end('payload');
  });
  req.on('information', (info) => console.log('client: information', info.statusCode));
  req.flushHeaders();
});
