// Checks fs.promises operations awaited in sequence interleave with ticks and microtasks as plain promise continuations.
'use strict';
const fs = require('fs');
const fsp = require('fs/promises');
const os = require('os');
const path = require('path');

async function main() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'conf-'));
  const file = path.join(dir, 'data.json');
  console.log('mkdtemp ok', path.dirname(dir) === os.tmpdir());
  await fsp.writeFile(file, JSON.stringify({ n: 1 }));
  process.nextTick(() => console.log('tick after writeFile'));
  console.log('written');
  await fsp.appendFile(file, '\n');
  const text = await fsp.readFile(file, 'utf8');
  console.log('read', JSON.stringify(text));
  const st = await fsp.stat(file);
  console.log('size', st.size);
  await fsp.mkdir(path.join(dir, 'x', 'y', 'z'), { recursive: true });
  console.log('readdir', (await fsp.readdir(dir)).sort());
  await fsp.copyFile(file, path.join(dir, 'x', 'copy.json'));
  console.log('copy', await fsp.readFile(path.join(dir, 'x', 'copy.json'), 'utf8') === text);
  try {
    await fsp.copyFile(file, path.join(dir, 'x', 'copy.json'), fs.constants.COPYFILE_EXCL);
  } catch (e) {
    console.log('copy excl', e.code, e.syscall);
  }
  try {
    await fsp.access(path.join(dir, 'absent'));
  } catch (e) {
    console.log('access', e.code, e.message.split(dir).join('<dir>'));
  }
  await fsp.rm(dir, { recursive: true });
  try {
    await fsp.stat(dir);
  } catch (e) {
    console.log('after rm', e.code);
  }
}
main().then(() => console.log('main resolved'));
Promise.resolve().then(() => console.log('microtask before any fs'));
console.log('sync end');
