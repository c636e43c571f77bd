// Three node processes: a coordinator forks two replicas, sends each a few writes over IPC, each
// replica appends them to its own file and acknowledges, and the coordinator reads both files back.
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.argv[2] === 'replica') {
  const file = path.join(os.tmpdir(), `replica-${process.argv[3]}.log`);
  process.on('message', (m) => {
    fs.appendFile(file, `${m.key}=${m.value}\n`, (err) => process.send({ ack: m.key, err: err && err.code }));
  });
} else {
  const replicas = ['a', 'b'].map((name) => fork(__filename, ['replica', name]));
  let acks = 0;
  for (const replica of replicas) {
    replica.on('message', () => {
      if (++acks === 2 * 5) for (const r of replicas) r.disconnect();
    });
    for (let i = 0; i < 5; i++) replica.send({ key: `k${i}`, value: i });
  }
  let exited = 0;
  for (const replica of replicas) {
    replica.on('exit', () => {
      if (++exited < 2) return;
      const lines = ['a', 'b'].map((n) => fs.readFileSync(path.join(os.tmpdir(), `replica-${n}.log`), 'utf8'));
      console.log(lines.map((l) => l.split('\n').length - 1).join(' '));
    });
  }
}
