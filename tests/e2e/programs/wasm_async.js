// WebAssembly compiled asynchronously (V8 runs the compilation as a job nobody joins), instantiated,
// and a function of it called hot enough to tier up, beside a timer. Exits 1 if the module never ran.
const bytes = Uint8Array.from([
  // (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
  0x00, 0x20, 0x01, 0x6a, 0x0b]);
let ran = false;
process.on('exit', () => { if (!ran) process.exitCode = 1; });
setTimeout(() => console.log('timer'), 5);
WebAssembly.compile(bytes)
  .then((module) => WebAssembly.instantiate(module))
  .then((instance) => {
    let sum = 0;
    for (let i = 0; i < 2000000; i++) sum = instance.exports.add(sum, i) | 0;
    console.log('wasm', sum);
    ran = true;
  });
