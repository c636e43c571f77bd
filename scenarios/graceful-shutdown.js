// Bug class: graceful shutdown that drops in-flight requests.
// On SIGTERM the server stops listening and exits at once. Requests whose handlers are still waiting
// for their file read are dropped without an answer; whether any are in flight when the signal comes
// depends on timing. (Client and server share this process; the signal is sent to itself.)
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');

const page = path.join(os.tmpdir(), 'graceful-shutdown-page.txt');
fs.writeFileSync(page, 'hello');

let accepted = 0;
let answered = 0;
const server = http.createServer(async (req, res) => {
  accepted++;
  const body = await fs.promises.readFile(page, 'utf8');
  res.end(body, () => answered++);
});

process.on('SIGTERM', () => {
  console.log('SIGTERM: shutting down');
  server.close();
  process.exit(0);
});

process.on('exit', () => {
  console.log(`accepted ${accepted}, answered ${answered}`);
  if (answered < accepted) {
    console.error(`dropped ${accepted - answered} in-flight request(s)`);
    process.exitCode = 1;
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const send = (name) =>
    http
      .get({ host: '127.0.0.1', port, path: `/${name}`, agent: false }, (res) => res.resume())
      .on('error', (err) => console.log(`${name}: ${err.code}`)); // refused after close: fine
  setTimeout(() => send('a'), 1);
  setTimeout(() => send('b'), 9);
  setTimeout(() => process.kill(process.pid, 'SIGTERM'), 12);
});
