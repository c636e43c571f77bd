// Checks the global navigator object on a host whose facts are fixed: userAgent names Node.js and the
// running major, platform is the OS name navigator uses, hardwareConcurrency is a positive integer
// (its value is the host's, not printed), and navigator is the same object in every turn of the loop.
// Node 22 (NAME.v22.stdout) has no navigator.locks (the Web Locks API, which Node 24 and 26 have), so
// its prototype lists one key fewer.
// requires: node >= 21
'use strict';
const log = (message) => console.log(message);
const first = globalThis.navigator;
const major = process.versions.node.split('.')[0];

log(`userAgent names Node.js and this major: ${navigator.userAgent === `Node.js/${major}`}`);
log(`platform: ${navigator.platform}`);
log(`hardwareConcurrency is a positive integer: ${Number.isInteger(navigator.hardwareConcurrency) && navigator.hardwareConcurrency > 0}`);
log(`language is a string: ${typeof navigator.language}`);
log(`own keys of the prototype: ${Object.getOwnPropertyNames(Object.getPrototypeOf(navigator)).filter((k) => k !== 'constructor').sort().join(',')}`);
setTimeout(() => setImmediate(() => log(`same navigator later: ${globalThis.navigator === first}`)), 1);
