// The fixed twin of event-before-listener.js: the Store exposes its readiness as a promise (state, not
// an event), so a consumer that arrives after the load still sees it.
const fs = require('fs');
const path = require('path');
const os = require('os');

const dataFile = path.join(os.tmpdir(), 'event-before-listener-store.json');
const configFile = path.join(os.tmpdir(), 'event-before-listener-config.json');
fs.writeFileSync(dataFile, JSON.stringify({ users: 3 }));
fs.writeFileSync(configFile, JSON.stringify({ port: 8080 }));

class Store {
  constructor(file) {
    this.ready = fs.promises.readFile(file, 'utf8').then((text) => {
      this.data = JSON.parse(text);
    });
  }
}

let started = false;
async function main() {
  const store = new Store(dataFile);
  const config = JSON.parse(await fs.promises.readFile(configFile, 'utf8'));
  await store.ready;
  started = true;
  console.log(`serving ${store.data.users} users on port ${config.port}`);
}

process.on('exit', () => {
  if (!started) {
    console.error("never started: 'ready' was emitted before anyone listened");
    process.exitCode = 1;
  }
});
main();
