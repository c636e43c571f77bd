// A module with a default export.
export default function answer() { return 42; }
