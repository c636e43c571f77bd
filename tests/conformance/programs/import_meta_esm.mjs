// Checks an ES module entry's import.meta (dirname, filename, url and the synchronous resolve) and a
// JSON import with an import attribute, and that a static import graph is evaluated, dependencies
// first, before the entry's own first line and any tick it queues.
// requires: node >= 20.11
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { name } from './modules/plain.mjs';
import data from './modules/data.json' with { type: 'json' };

process.nextTick(() => console.log('tick queued by the entry'));
console.log(`entry: imported ${name}, json ${JSON.stringify(data)}`);
console.log(`filename is url's path: ${import.meta.filename === fileURLToPath(import.meta.url)}`);
console.log(`dirname/filename: ${basename(import.meta.dirname)}/${basename(import.meta.filename)}`);
const resolved = import.meta.resolve('./modules/plain.mjs');
console.log(`resolve is synchronous: ${typeof resolved === 'string'}, ends ${resolved.split('/').slice(-2).join('/')}`);
await new Promise((resolve) => setImmediate(resolve));
console.log('after an immediate');
