// Checks that the server closes an idle keep-alive connection after keepAliveTimeout and the agent drops the freed socket.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
server.keepAliveTimeout = 200;
server.listen(0, '127.0.0.1', () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ port: server.address().port, host: '127.0.0.1', agent }, (res) => {
    console.log('response', res.statusCode, res.headers['keep-alive']);
    const socket = res.socket;
    res.resume();
    res.on('end', () => {
      socket.on('close', () => {
        console.log('idle socket closed by server, free sockets left', Object.keys(agent.freeSockets).length);
        server.close(() => console.log('server closed'));
      });
      setImmediate(() => console.log('free sockets', Object.values(agent.freeSockets).reduce((n, l) => n + l.length, 0)));
    });
  });
});
