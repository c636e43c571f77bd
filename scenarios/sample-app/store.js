// A file-backed key-value store: one JSON file per key under DIR/data, written to DIR/tmp first and
// renamed into place so a reader never sees half a value; an append-only journal (DIR/journal.log, one
// line per mutation, through a write stream); and a per-key lock so that two mutations of one key never
// interleave their read-check-write steps.
'use strict';
const crypto = require('crypto');
const { once } = require('events');
const fs = require('fs');
const fsp = require('fs/promises');
const path = require('path');

const KEY_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

function etagOf(buf) {
  return '"' + crypto.createHash('sha256').update(buf).digest('hex').slice(0, 16) + '"';
}

class PreconditionFailed extends Error {
  constructor(key) {
    super(`precondition failed for ${key}`);
    this.code = 'EPRECONDITION';
  }
}

class Store {
  static async open(dir) {
    await fsp.mkdir(path.join(dir, 'data'), { recursive: true });
    await fsp.mkdir(path.join(dir, 'tmp'), { recursive: true });
    const store = new Store(dir);
    await once(store.journal, 'open');
    return store;
  }

  constructor(dir) {
    this.dir = dir;
    this.journal = fs.createWriteStream(path.join(dir, 'journal.log'), { flags: 'a' });
    // A failed append fails its own mutation (log() rejects); later appends fail as the stream is gone.
    this.journal.on('error', () => {});
    this.locks = new Map(); // key -> tail of that key's promise chain
  }

  file(key) {
    return path.join(this.dir, 'data', key + '.json');
  }

  // Runs fn with the key's lock held; callers of one key run one at a time, in call order.
  async withLock(key, fn) {
    const prev = this.locks.get(key) || Promise.resolve();
    let release;
    const mine = new Promise((resolve) => (release = resolve));
    const tail = prev.then(() => mine);
    this.locks.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  async get(key) {
    try {
      const buf = await fsp.readFile(this.file(key));
      return { value: JSON.parse(buf), etag: etagOf(buf) };
    } catch (err) {
      if (err.code === 'ENOENT') return null;
      throw err;
    }
  }

  // Stores value under key; with ifMatch, only if the current value's ETag is ifMatch.
  put(key, value, ifMatch) {
    return this.withLock(key, async () => {
      if (ifMatch !== undefined) {
        const cur = await this.get(key);
        if (!cur || cur.etag !== ifMatch) throw new PreconditionFailed(key);
      }
      const buf = Buffer.from(JSON.stringify(value));
      const tmp = path.join(this.dir, 'tmp', `${key}.${crypto.randomBytes(6).toString('hex')}`);
      const fh = await fsp.open(tmp, 'wx');
      try {
        await fh.writeFile(buf);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, this.file(key));
      const etag = etagOf(buf);
      await this.log(`put ${key} ${etag}`);
      return etag;
    });
  }

  del(key) {
    return this.withLock(key, async () => {
      try {
        await fsp.unlink(this.file(key));
      } catch (err) {
        if (err.code === 'ENOENT') return false;
        throw err;
      }
      await this.log(`del ${key}`);
      return true;
    });
  }

  async keys() {
    const names = await fsp.readdir(path.join(this.dir, 'data'));
    // readdir's order is the file system's (hash order on ext4): sort for a stable listing.
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  }

  async size() {
    let bytes = 0;
    for (const key of await this.keys()) bytes += (await fsp.stat(this.file(key))).size;
    return bytes;
  }

  log(line) {
    return new Promise((resolve, reject) => {
      this.journal.write(line + '\n', (err) => (err ? reject(err) : resolve()));
    });
  }

  close() {
    return new Promise((resolve, reject) => this.journal.end((err) => (err ? reject(err) : resolve())));
  }
}

module.exports = { Store, KEY_RE, PreconditionFailed };
