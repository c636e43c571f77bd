// The fixed twin of late-rejection.js: the settings promise gets its fallback attached as soon as it is
// created, so its rejection is handled whenever it happens.
const fs = require('fs');
const path = require('path');
const os = require('os');

const template = path.join(os.tmpdir(), 'late-rejection-page.html');
fs.writeFileSync(template, '<h1>{{title}}</h1>');

async function main() {
  const settingsP = fs.promises
    .readFile(path.join(os.tmpdir(), 'late-rejection-settings.json'), 'utf8')
    .then(JSON.parse)
    .catch(() => ({ title: 'default title' }));
  const stat = await fs.promises.stat(template);
  const settings = await settingsP;
  const html = (await fs.promises.readFile(template, 'utf8')).replace('{{title}}', settings.title);
  console.log(`${html} (${stat.size} byte template)`);
}

main();
