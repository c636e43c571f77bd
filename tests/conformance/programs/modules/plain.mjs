// A module without top-level await.
console.log('plain: evaluating');
export const name = 'plain';
export function add(a, b) { return a + b; }
