// A small client for the key-value API over one keep-alive http.Agent: every call resolves to
// { status, headers, body } with a JSON body parsed (and a gzip body inflated) once it has fully arrived,
// or rejects, also when its socket stays silent for timeoutMs (a peer that vanished never says so).
'use strict';
const http = require('http');
const zlib = require('zlib');
const { promisify } = require('util');

const gunzip = promisify(zlib.gunzip);

class Client {
  constructor(port, { maxSockets = 4, timeoutMs = 10000 } = {}) {
    this.port = port;
    this.timeoutMs = timeoutMs;
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
    this.sockets = new Set(); // every socket a request went out on
    this.requests = 0;
  }

  request(method, path, { body, headers = {} } = {}) {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            ...headers,
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
          res.on('end', async () => {
            try {
              let buf = Buffer.concat(chunks);
              if (res.headers['content-encoding'] === 'gzip') buf = await gunzip(buf);
              const json = /application\/json/.test(res.headers['content-type'] || '');
              resolve({ status: res.statusCode, headers: res.headers, body: json ? JSON.parse(buf) : null });
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('socket', (socket) => {
        this.requests++;
        this.sockets.add(socket);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer for ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(key, headers) {
    return this.request('GET', `/kv/${key}`, { headers });
  }
  put(key, value, headers) {
    return this.request('PUT', `/kv/${key}`, { body: value, headers });
  }
  del(key) {
    return this.request('DELETE', `/kv/${key}`);
  }
  list() {
    return this.request('GET', '/kv');
  }

  close() {
    this.agent.destroy();
  }
}

module.exports = { Client };
