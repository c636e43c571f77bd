// The fixed twin of http-keepalive.js: a request that failed with ECONNRESET on a reused keep-alive
// socket (req.reusedSocket) never reached the application, so the (idempotent) GET is retried once on a
// fresh connection — the pattern Node's documentation gives for this race.
const http = require('http');

// The server closes a connection that stays idle for a few milliseconds, as a load balancer in front of
// it would: without a Keep-Alive hint (keepAliveTimeout 0 sends none), so the client cannot know when.
const server = http.createServer((req, res) => {
  clearTimeout(req.socket.idle);
  res.on('finish', () => {
    req.socket.idle = setTimeout(() => req.socket.destroy(), 5);
  });
  res.end(`hello ${req.url}`);
});
server.keepAliveTimeout = 0;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path, retried = false) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', (err) => {
      if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) {
        console.log(`retrying ${path}: the kept-alive socket was closed under it`);
        resolve(get(path, true));
      } else {
        reject(err);
      }
    });
  });
}

server.listen(0, '127.0.0.1', async () => {
  console.log(await get('/first'));
  await new Promise((r) => setTimeout(r, 4)); // think time, just under the server's idle timeout
  console.log(await get('/second'));
  agent.destroy();
  server.close();
});
