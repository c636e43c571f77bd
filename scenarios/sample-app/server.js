// The HTTP JSON API over a Store:
//   GET    /kv/KEY   the value (ETag; If-None-Match -> 304)      PUT /kv/KEY  store a JSON body (If-Match -> 412)
//   DELETE /kv/KEY   204, or 404                                 GET /kv      the sorted list of keys
//   GET    /export   every key and value as one JSON document, gzip-compressed when the client accepts it
//   GET    /stats    key count and bytes on disk
'use strict';
const http = require('http');
const zlib = require('zlib');
const { Readable, pipeline } = require('stream');
const { KEY_RE } = require('./store');

const MAX_BODY = 4 * 1024 * 1024;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) reject(Object.assign(new Error('body too large'), { status: 413 }));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  const buf = body === undefined ? null : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    ...(buf ? { 'content-type': 'application/json', 'content-length': buf.length } : {}),
  });
  res.end(buf);
}

async function* exportDocument(store) {
  const keys = await store.keys();
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    const entry = await store.get(keys[i]);
    if (entry) yield `${i ? ',' : ''}${JSON.stringify(keys[i])}:${JSON.stringify(entry.value)}`;
  }
  yield '}';
}

async function handle(store, req, res) {
  const url = new URL(req.url, 'http://kv.local');
  const m = /^\/kv\/([^/]+)$/.exec(url.pathname);
  if (m && !KEY_RE.test(m[1])) return send(res, 400, { error: 'bad key' });
  const key = m && m[1];

  if (key && req.method === 'GET') {
    const entry = await store.get(key);
    if (!entry) return send(res, 404, { error: 'not found' });
    if (req.headers['if-none-match'] === entry.etag) return send(res, 304, undefined, { etag: entry.etag });
    return send(res, 200, entry.value, { etag: entry.etag });
  }
  if (key && req.method === 'PUT') {
    let value;
    try {
      value = JSON.parse(await readBody(req));
    } catch (err) {
      return send(res, err.status || 400, { error: err.status ? err.message : 'bad JSON' });
    }
    try {
      const etag = await store.put(key, value, req.headers['if-match']);
      return send(res, 200, { key, etag }, { etag });
    } catch (err) {
      if (err.code === 'EPRECONDITION') return send(res, 412, { error: err.message });
      throw err;
    }
  }
  if (key && req.method === 'DELETE') {
    return (await store.del(key)) ? send(res, 204) : send(res, 404, { error: 'not found' });
  }
  if (url.pathname === '/kv' && req.method === 'GET') return send(res, 200, await store.keys());
  if (url.pathname === '/stats' && req.method === 'GET') {
    return send(res, 200, { keys: (await store.keys()).length, bytes: await store.size() });
  }
  if (url.pathname === '/export' && req.method === 'GET') {
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    res.writeHead(200, { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    const source = Readable.from(exportDocument(store));
    const done = (err) => err && res.destroy(err);
    return gzip ? pipeline(source, zlib.createGzip(), res, done) : pipeline(source, res, done);
  }
  return send(res, 404, { error: 'no route' });
}

function createServer(store) {
  const server = http.createServer((req, res) => {
    handle(store, req, res).catch((err) => {
      console.error('request failed:', err);
      if (!res.headersSent) send(res, 500, { error: 'internal' });
      else res.destroy(err);
    });
  });
  server.connections = 0;
  server.on('connection', () => server.connections++);
  return server;
}

module.exports = { createServer };
