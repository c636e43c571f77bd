// The shape of a failure message: the message with the parts that vary from seed to seed masked, so
// that one bug whose message carries the data that went wrong (a count, an id, a temp path, the order
// some jobs finished in) is one group in a sweep's report, while messages that differ in their words
// stay apart. The rules, applied left to right, each to a whole token:
//
//   quoted text        'x', "x", `x`: from a quote no letter or digit leads
//                      into to the same quote no letter or digit follows       -> <str>
//   temp paths         /tmp/..., /var/tmp/..., /dev/shm/..., /var/folders/...,
//                      /private/tmp/..., /private/var/folders/..., file:///tmp/... -> <tmp>
//   UUIDs              8-4-4-4-12 hex digits                                   -> <uuid>
//   hex                0x1f..., or a word of 6 or more hex digits that mixes
//                      digits and letters (a hash, an address, a trace id)     -> <hex>
//   ids                a word of 6 or more letters and digits with two letters
//                      and two separate runs of digits (k3j9x2, v18x20)        -> <id>
//   numbers            a run of digits at the start or end of a word, with a
//                      minus sign no word leads into (12, -4, 12ms, A-17,
//                      job_17, v18; 1.5 is <n>.<n>)                             -> <n>
//   permutations       a word of 3 to 26 letters of one case, no letter twice,
//                      whose letters are a run of the alphabet (acdbef, CAB)   -> <perm:abcdef>
//
// Words are runs of ASCII letters and digits ('_' separates them). Digits inside a word that is no id
// (E2BIG, h2c) are kept; so is everything else: words, punctuation, error codes, property names
// outside quotes. A permutation keeps its sorted letters, so `acdbef` and `badcef` are one shape but a
// different set of ids (`acdbe`, one missing) is another.
//
// The key two shapes are compared by goes one step further: the items of a list (separated by `,` or
// `->`; a list does not reach past a bracket or a `: `) are compared in sorted order, so `two leaders:
// worker B, worker A` and `... worker A, worker B` are one group, and so are `finished c -> a -> b` and
// `finished a -> b -> c`. An item is as many words long as the list's inner items (or, in a list of
// two, as the second): in `got c, a, b from the queue` the items are c, a and b. The shape shown to
// people keeps the order of the message it was made from.
#pragma once

#include <string>
#include <string_view>

namespace loopsim::sim {

// The message with its varying parts masked, for people ("exit code <n>: out of order: <perm:abcdef>").
std::string MessageShape(std::string_view message);

// What two messages are compared by: MessageShape with list items sorted.
std::string ShapeKey(std::string_view message);

// Where a stack frame points: "fn (/app.js:13:34)" -> "/app.js:13:34"; a frame that is only a place
// ("/app.js:13") is itself. A frame without a source position ("async Promise.all (index 3)") is
// shaped like a message, so its varying index does not split a group.
std::string FrameSite(std::string_view frame);

}  // namespace loopsim::sim
