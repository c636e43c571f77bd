// Checks aborting fs.promises.readFile with an AbortSignal (already aborted, and aborted right after the call): AbortError both times.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const f = path.join(dir, 'big');
fs.writeFileSync(f, Buffer.alloc(1 << 20, 1));
(async () => {
  try {
    await fs.promises.readFile(f, { signal: AbortSignal.abort() });
  } catch (e) {
    console.log('pre-aborted', e.name, e.code);
  }
  const ac = new AbortController();
  const p = fs.promises.readFile(f, { signal: ac.signal });
  ac.abort();
  try {
    await p;
    console.log('unexpectedly read');
  } catch (e) {
    console.log('aborted', e.name, e.code);
  }
  const text = await fs.promises.readFile(f);
  console.log('full read', text.length);
  fs.rmSync(dir, { recursive: true });
})();
