// Enough allocation for several scavenges and a full collection, plus timers, so a GC or a delayed
// platform task leaking from the zygote's age would change what runs.
const keep = [];
let n = 0;
function churn() {
  for (let i = 0; i < 20000; i++) {
    const o = { i, s: 'x'.repeat(i % 50), a: [i, i + 1] };
    if (i % 97 === 0) keep.push(o);
  }
  if (++n < 10) setTimeout(churn, 5);
  else console.log('kept', keep.length, Math.random());
}
churn();
