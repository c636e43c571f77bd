// Checks that two async functions awaiting in loops interleave strictly one await per turn.
async function worker(name, n) {
  for (let i = 0; i < n; i++) {
    console.log(name, i);
    await undefined;
  }
  console.log(name, 'done');
  return name;
}
Promise.all([worker('a', 3), worker('b', 5), worker('c', 1)]).then((r) => console.log('all', r.join(',')));
