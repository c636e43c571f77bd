// Checks fetch() (undici) against an http server on 127.0.0.1: status, headers and a JSON body of a GET,
// a POST whose body the server echoes, a 404 that is not an error, a streamed body read through the
// response's reader chunk by chunk as the server writes it, and a request aborted by its signal.
'use strict';
const http = require('http');

const server = http.createServer((req, res) => {
  if (req.url === '/json') {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-answer', '42');
    res.end(JSON.stringify({ method: req.method, ok: true }));
  } else if (req.url === '/echo') {
    const parts = [];
    req.on('data', (chunk) => parts.push(chunk));
    req.on('end', () => res.end(`echo:${Buffer.concat(parts)}`));
  } else if (req.url === '/stream') {
    res.write('one,');
    setTimeout(() => { res.write('two,'); setTimeout(() => res.end('three'), 5); }, 5);
  } else if (req.url === '/hang') {
    // Never answered: the client gives up.
  } else {
    res.statusCode = 404;
    res.end('nothing here');
  }
});

async function main() {
  const base = `http://127.0.0.1:${server.address().port}`;
  const json = await fetch(`${base}/json`);
  console.log('GET /json', json.status, json.ok, json.headers.get('content-type'), json.headers.get('x-answer'));
  console.log('body', JSON.stringify(await json.json()));

  const echo = await fetch(`${base}/echo`, { method: 'POST', body: 'hello fetch' });
  console.log('POST /echo', echo.status, await echo.text());

  const missing = await fetch(`${base}/missing`);
  console.log('GET /missing', missing.status, missing.ok, await missing.text());

  const stream = await fetch(`${base}/stream`);
  const reader = stream.body.getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  console.log('streamed body', text);

  const controller = new AbortController();
  const hanging = fetch(`${base}/hang`, { signal: controller.signal });
  setTimeout(() => controller.abort(), 10);
  try {
    await hanging;
  } catch (e) {
    console.log('aborted fetch rejects with', e.name);
  }
}

server.listen(0, '127.0.0.1', () => {
  main().then(() => {
    server.closeAllConnections();
    server.close(() => console.log('server closed'));
  });
});
