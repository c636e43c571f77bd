// Bug class: http keep-alive socket reuse.
// The client keeps its connection alive and sends a second request a few milliseconds after the first.
// The server closes idle keep-alive connections after the same few milliseconds. When the server's
// close crosses the client's second request on the wire, the client has written its request on a socket
// the server is closing, and the request fails with "socket hang up" (ECONNRESET).
const http = require('http');

const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
server.keepAliveTimeout = 5; // ms: a short idle timeout, as behind some load balancers

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

server.listen(0, '127.0.0.1', async () => {
  console.log(await get('/first'));
  await new Promise((r) => setTimeout(r, 5)); // think time, about the server's idle timeout
  try {
    console.log(await get('/second')); // may go out on the socket the server is closing
  } catch (err) {
    console.error(`second request failed on the reused socket: ${err.code} (${err.message})`);
    process.exit(1);
  }
  agent.destroy();
  server.close();
});
