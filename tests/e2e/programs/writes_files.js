// Writes, appends, renames, makes directories and deletes files in its own directory, in /tmp and under
// os.tmpdir(), through the sync, callback, promise and stream APIs. Under loopsim none of it may reach the
// host. argv[2] is a token that names every file, so the test can look for leftovers.
const fs = require('fs');
const os = require('os');
const path = require('path');
const token = process.argv[2];
if (!token) throw new Error('usage: writes_files.js TOKEN');
const dirs = [__dirname, '/tmp', os.tmpdir()];

async function exercise(dir, i) {
  const base = path.join(dir, `${token}-${i}`);
  fs.writeFileSync(base + '.txt', 'hello');
  fs.appendFileSync(base + '.txt', ' world');
  fs.renameSync(base + '.txt', base + '.renamed');
  fs.mkdirSync(path.join(base + '.dir', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(base + '.dir', 'sub', 'f'), 'x');
  await fs.promises.writeFile(base + '.p', 'p');
  await fs.promises.appendFile(base + '.p', 'q');
  await fs.promises.rename(base + '.p', base + '.p2');
  await fs.promises.mkdir(base + '.pdir');
  await fs.promises.rmdir(base + '.pdir');
  await new Promise((resolve, reject) => fs.writeFile(base + '.cb', 'cb', (e) => (e ? reject(e) : resolve())));
  await new Promise((resolve, reject) => {
    const out = fs.createWriteStream(base + '.stream');
    out.on('error', reject);
    out.end('stream data', resolve);
  });
  const back = fs.readFileSync(base + '.renamed', 'utf8') + '|' + fs.readFileSync(base + '.p2', 'utf8');
  console.log(i, back);
  fs.unlinkSync(base + '.cb');
  fs.rmSync(base + '.dir', { recursive: true });
  if (fs.existsSync(base + '.dir') || fs.existsSync(base + '.cb')) throw new Error('delete did not take');
  // .renamed, .p2 and .stream stay: the program sees them, the host must not.
}

(async () => {
  for (const [i, dir] of dirs.entries()) await exercise(dir, i);
  const made = fs.mkdtempSync(path.join(os.tmpdir(), token + '-mkdtemp-'));
  fs.writeFileSync(path.join(made, 'inside'), 'y');
  console.log('ok');
})();
