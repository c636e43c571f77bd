// Checks AbortController with timers/promises: abort rejects with AbortError, pre-aborted signals reject at once.
const tp = require('timers/promises');
function describe(e) { return [e.name, e.code, e.message].join(' | '); }
async function main() {
  const ac = new AbortController();
  const p = tp.setTimeout(1000, 'never', { signal: ac.signal });
  setTimeout(() => ac.abort(), 5);
  try { await p; } catch (e) { console.log('aborted timeout:', describe(e)); }

  const pre = new AbortController();
  pre.abort();
  try { await tp.setImmediate('x', { signal: pre.signal }); } catch (e) { console.log('pre-aborted immediate:', describe(e)); }
  try { await tp.setTimeout(1, 'y', { signal: pre.signal }); } catch (e) { console.log('pre-aborted timeout:', describe(e)); }

  const ac2 = new AbortController();
  const seen = [];
  try {
    for await (const v of tp.setInterval(3, 'iv', { signal: ac2.signal })) {
      seen.push(v);
      if (seen.length === 2) ac2.abort();
    }
  } catch (e) {
    console.log('interval aborted after', seen.length, describe(e));
  }
  const ac3 = new AbortController();
  const q = tp.setImmediate('im', { signal: ac3.signal });
  ac3.abort();
  try { await q; } catch (e) { console.log('immediate aborted synchronously:', e.name); }
  console.log('ref option value', await tp.setTimeout(2, 'kept', { ref: true }));
}
main().then(() => console.log('done'));
