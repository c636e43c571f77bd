// Ends with exit code 3 from one of two places and says nothing: the place that called process.exit()
// is all that tells the two apart.
function giveUp() {
  process.exit(3);
}
function bail() {
  process.exit(3);
}
setTimeout(() => (Math.random() < 0.5 ? giveUp : bail)(), 1);
