// Changes everything a recycled zygote child must put back (runtime/node/recycle.h): the JavaScript
// heap (enough objects to be promoted and collected), memory outside it (large Buffers: chunks the C
// library maps and unmaps), the stack (deep recursion), compiled code (a function hot enough to be
// optimised, a WebAssembly module), a global, and how the process ends (some seeds call
// process.exit from a timer). Every line it prints depends on the seed or on state a previous seed
// could have left behind.
'use strict';

globalThis.runs = (globalThis.runs ?? 0) + 1;

const buffers = [];
for (let i = 0; i < 6; i++) buffers.push(Buffer.alloc(1 << 20, Math.floor(Math.random() * 256)));

const objects = [];
for (let i = 0; i < 100000; i++) objects.push({ i, label: 'o' + (i % 97) });

function depth(n) {
  return n === 0 ? 0 : 1 + depth(n - 1);
}

function hot(x) {
  return (x * 31 + 7) % 1000003;
}
let h = Math.floor(Math.random() * 1000);
for (let i = 0; i < 300000; i++) h = hot(h + i);

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const wasm = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
  0x00, 0x20, 0x01, 0x6a, 0x0b,
])));

console.log('runs', globalThis.runs, 'buffers', buffers.map((b) => b[12345]).join(','));
console.log('objects', objects.length, objects[objects.length - 1].label, 'depth', depth(4000 + Math.floor(Math.random() * 1000)));
console.log('hot', h, 'wasm', wasm.exports.add(h, 1));
buffers.length = 0;
objects.length = 0;

const exitEarly = Math.random() < 0.5;
setTimeout(() => {
  console.log('timer', Math.random().toFixed(6));
  if (exitEarly) process.exit(3);
}, Math.floor(Math.random() * 20));
setTimeout(() => console.log('late'), 25);
