// Checks a long causally chained sequence of timers and immediates keeps its order and counts.
let steps = 0;
const seen = [];
function step(i) {
  steps++;
  if (i % 10 === 0) seen.push(i);
  if (i === 100) return console.log('reached', i, 'steps', steps, 'marks', seen.join(','));
  if (i % 2) setImmediate(step, i + 1);
  else setTimeout(step, i % 3, i + 1);
}
step(0);
