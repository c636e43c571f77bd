// Bug class: http keep-alive socket reuse.
// The client keeps its connection alive and sends a second request a little under the server's idle
// timeout after the first. The server closes connections idle for a few milliseconds. When the loop
// wakes late enough that both timers are due in one timers phase, the client's fires first and writes
// its request on the kept-alive socket, then the server's closes that socket with the request unread:
// the close is a reset, and the request fails with ECONNRESET. (When the server's fires first, Node 22
// and later see the end of the connection waiting on the free socket and open a new one; Node 18 and 20
// reuse it and fail with "socket hang up".)
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
  await new Promise((r) => setTimeout(r, 4)); // think time, just under the server's idle timeout
  try {
    console.log(await get('/second')); // may go out on the socket the server is closing
  } catch (err) {
    console.error(`second request failed on the reused socket: ${err.code} (${err.message})`);
    process.exit(1);
  }
  agent.destroy();
  server.close();
});
