// Checks that the server closes an idle keep-alive connection after keepAliveTimeout and the agent drops the freed socket.
// Node 18 (NAME.v18.stdout) pools the socket after the response (free sockets 1) until the server
// closes it. From Node 20 the agent reads the response's `Keep-Alive: timeout=N` hint in
// keepSocketAlive and, when N seconds less its 1 s safety buffer leave nothing (a 200 ms keepAliveTimeout
// is announced as timeout=0), refuses to keep the socket: it is destroyed instead of pooled (free
// sockets 0), and its 'close' comes from that, not from the server (the line keeps Node 18's wording).
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
