// Bug class: double callback when a timeout and a response race.
// fetchWithTimeout(cb) calls cb with the response, or with an error if the timeout fires first. The
// response path clears the timer, but the timeout path leaves the request running: when the server is
// a little slow, cb runs once with the timeout error and again when the late response arrives.
const http = require('http');

const server = http.createServer((req, res) => {
  setTimeout(() => res.end('quote: 42'), 2); // the backend takes a couple of milliseconds
});

function fetchWithTimeout(ms, cb) {
  const timer = setTimeout(() => cb(new Error('timed out')), ms);
  http
    .get({ host: '127.0.0.1', port: server.address().port, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        clearTimeout(timer);
        cb(null, body);
      });
    })
    .on('error', (err) => {
      clearTimeout(timer);
      cb(err);
    });
}

let calls = 0;
server.listen(0, '127.0.0.1', () => {
  fetchWithTimeout(6, (err, body) => {
    if (++calls > 1) throw new Error('callback called twice');
    console.log(err ? `failed: ${err.message}` : body);
    setTimeout(() => server.close(), 10);
  });
});
