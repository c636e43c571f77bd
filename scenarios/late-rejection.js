// Bug class: a rejection handled too late.
// main() starts reading an optional settings file (which is missing) and the template at once, awaits
// the template first and only then awaits the settings inside a try/catch. If the settings read rejects
// while main() is still waiting for the template, the rejection has no handler yet: Node 18 treats it
// as an unhandled rejection and the process dies, although a catch was "there".
const fs = require('fs');
const path = require('path');
const os = require('os');

const template = path.join(os.tmpdir(), 'late-rejection-page.html');
fs.writeFileSync(template, '<h1>{{title}}</h1>');

async function main() {
  const settingsP = fs.promises.readFile(path.join(os.tmpdir(), 'late-rejection-settings.json'), 'utf8');
  const stat = await fs.promises.stat(template);
  let settings;
  try {
    settings = JSON.parse(await settingsP);
  } catch {
    settings = { title: 'default title' };
  }
  const html = (await fs.promises.readFile(template, 'utf8')).replace('{{title}}', settings.title);
  console.log(`${html} (${stat.size} byte template)`);
}

main();
