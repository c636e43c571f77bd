// Checks copying a file with stream/promises pipeline from createReadStream to createWriteStream, then both streams' close flags.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pipeline } = require('stream/promises');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
const src = path.join(dir, 'src');
const dst = path.join(dir, 'dst');
const content = Buffer.alloc(200000);
for (let i = 0; i < content.length; i++) content[i] = i % 251;
fs.writeFileSync(src, content);
const rs = fs.createReadStream(src, { highWaterMark: 16384 });
const ws = fs.createWriteStream(dst);
let chunks = 0;
rs.on('data', () => chunks++);
ws.on('finish', () => console.log('ws finish'));
pipeline(rs, ws).then(() => {
  console.log('pipeline resolved', 'chunks', chunks, 'rs closed', rs.closed, 'ws closed', ws.closed);
  console.log('same content', fs.readFileSync(dst).equals(content), ws.bytesWritten);
  fs.rmSync(dir, { recursive: true });
});
