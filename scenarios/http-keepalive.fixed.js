// The fixed twin of http-keepalive.js: a request that failed with ECONNRESET on a reused keep-alive
// socket (req.reusedSocket) never reached the application, so the (idempotent) GET is retried once on a
// fresh connection — the pattern Node's documentation gives for this race.
const http = require('http');

const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
server.keepAliveTimeout = 5; // ms: a short idle timeout, as behind some load balancers

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
  await new Promise((r) => setTimeout(r, 5)); // think time, about the server's idle timeout
  console.log(await get('/second'));
  agent.destroy();
  server.close();
});
