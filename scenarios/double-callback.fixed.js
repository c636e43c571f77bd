// The fixed twin of double-callback.js: the callback is wrapped so that it runs at most once, and the
// timeout aborts the request it gave up on, so a late response is dropped instead of reported again.
const http = require('http');

const server = http.createServer((req, res) => {
  setTimeout(() => res.end('quote: 42'), 2); // the backend takes a couple of milliseconds
});

function fetchWithTimeout(ms, callback) {
  let done = false;
  const cb = (err, body) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    callback(err, body);
  };
  const req = http.get({ host: '127.0.0.1', port: server.address().port, agent: false }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => cb(null, body));
  });
  req.on('error', (err) => cb(err));
  const timer = setTimeout(() => {
    cb(new Error('timed out'));
    req.destroy();
  }, ms);
}

let calls = 0;
server.listen(0, '127.0.0.1', () => {
  fetchWithTimeout(6, (err, body) => {
    if (++calls > 1) throw new Error('callback called twice');
    console.log(err ? `failed: ${err.message}` : body);
    setTimeout(() => server.close(), 10);
  });
});
