// A module with top-level await, which require() refuses to load.
await Promise.resolve();
export const ready = true;
