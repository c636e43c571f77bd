// Allocates without end: only a memory budget (or V8's own heap limit) stops it.
const a=[]; for(;;) a.push(new Array(1e6).fill(1))
