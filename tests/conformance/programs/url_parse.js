// Checks URL.parse (null instead of a throw for an invalid input) and URL.canParse on the URLs an http
// server receives: the server parses each request target against a base, the client learns the
// outcome from the response, and invalid inputs print null where `new URL` throws ERR_INVALID_URL.
// requires: node >= 20.18
'use strict';
const http = require('http');
const log = (message) => console.log(message);

log(`URL.parse('nope'): ${URL.parse('nope')}, canParse: ${URL.canParse('nope')}`);
log(`with a base: ${URL.parse('../b?x=1#h', 'http://example.test/a/c/d').href}`);
try {
  new URL('nope');
} catch (e) {
  log(`new URL('nope') throws ${e.code}`);
}

const server = http.createServer((req, res) => {
  const url = URL.parse(req.url, 'http://server.invalid');
  res.end(url ? `${url.pathname} ${[...url.searchParams].map(([k, v]) => `${k}=${v}`).join('&')}` : 'unparsable');
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  for (const target of ['/plain', '/q?a=1&b=two', '/enc%20oded/../up?c=%E2%9C%93']) {
    const body = await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: target }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve(text));
      });
    });
    log(`${target} -> ${body}`);
  }
  server.close(() => log('server closed'));
});
