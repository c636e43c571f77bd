// Checks that a keep-alive agent with one socket reuses it for sequential requests, and the server sees one connection.
'use strict';
const http = require('http');
let connections = 0;
const server = http.createServer((req, res) => {
  res.end(`reply to ${req.url}`);
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = server.address().port;
  function get(n, done) {
    const req = http.get({ port, host: '127.0.0.1', path: '/' + n, agent }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        console.log(n, res.statusCode, body, 'reused', req.reusedSocket, 'connection header', res.headers.connection);
        done();
      });
    });
  }
  get(1, () => get(2, () => get(3, () => {
    console.log('server connections', connections);
    agent.destroy();
    server.close(() => console.log('closed'));
  })));
});
