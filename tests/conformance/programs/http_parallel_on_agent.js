// Checks that requests queued on a maxSockets:1 keep-alive agent are served in queue order over one socket.
'use strict';
const http = require('http');
let connections = 0;
const server = http.createServer((req, res) => {
  console.log('server', req.url);
  res.end(req.url.slice(1));
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = server.address().port;
  let left = 3;
  for (const n of ['a', 'b', 'c']) {
    http.get({ port, host: '127.0.0.1', path: '/' + n, agent }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d) => console.log('client', n, d));
      res.on('end', () => {
        if (--left === 0) {
          console.log('connections', connections, 'pending in agent', Object.keys(agent.requests).length);
          agent.destroy();
          server.close();
        }
      });
    });
  }
  console.log('queued', Object.values(agent.requests).reduce((s, q) => s + q.length, 0));
});
