// spawn() of node with piped stdio: the child reads its stdin to the end, answers on stdout and stderr
// and exits with code 3; the parent reads both pipes to their end and sees the code on 'exit' and 'close'.
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => { input += d; });
  process.stdin.on('end', () => {
    process.stdout.write(`out: ${input.toUpperCase()}\n`);
    process.stderr.write(`err: ${input.length} chars\n`);
    process.exitCode = 3;
  });
} else {
  const child = spawn(process.execPath, [__filename, 'child']);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.on('spawn', () => console.log('spawned'));
  child.on('exit', (code, signal) => console.log('exit', code, signal));
  child.on('close', (code, signal) => {
    console.log('close', code, signal);
    process.stdout.write(out + err);
  });
  child.stdin.write('hello ');
  child.stdin.end('child');
}
