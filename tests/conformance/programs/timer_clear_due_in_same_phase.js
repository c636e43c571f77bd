// Checks that a due timer cleared by an earlier callback in the same list never runs.
let victim;
setTimeout(() => {
  console.log('first clears second');
  clearTimeout(victim);
}, 10);
victim = setTimeout(() => console.log('second should not run'), 10);
setTimeout(() => console.log('third runs'), 10);
setTimeout(() => {
  const t1 = setTimeout(() => { console.log('x clears y'); clearTimeout(t2); }, 0);
  const t2 = setTimeout(() => console.log('y should not run'), 0);
  setTimeout(() => console.log('z runs', t1.hasRef()), 0);
}, 20);
