// The zygote: per-seed isolation without paying node's boot per seed. A zygote is the user's node,
// started by the explorer with a control socket (Launch::zygote_fd), booted once for one program
// (host.h: everything up to the point where `node SCRIPT` would load the program). At that point it
// forks a child, which begins the requested seed and runs the program from there, exactly as `loopsim
// run` with the same description would: the same stdout, stderr, exit code, trace and run record. The
// child then puts its memory back as it was when it began (recycle.h) and runs the next request's
// seed; a fresh child is forked only when it could not (a crash, a hang, a seed it cannot undo), or
// for every seed when the launch asks for that (Launch::zygote_recycles false).
//
// Forking a booted V8 is safe only under conditions measured on every supported node (own-node notes): V8
// runs on the program's thread alone (host.h's V8 flags, background.h), its heap reservations are not
// marked MADV_DONTFORK (that advice is dropped), node's platform threads are idle at the fork (the zygote
// counts them at its first fork and checks before every fork that none was added) and a child never waits
// for them (threads.h), and boot leaves nothing in flight and no work tied to the zygote's age (virtual
// time does not move while booting). Children inherit nothing of their siblings: each is a fork of the
// same booted state, which never changes because the zygote itself never runs a seed, or a recycled child
// put back exactly as that state was when it was forked.
//
// The zygote waits for each seed under a host-time watchdog and reports how it ended (exit status or
// signal, timed out) with its cost: the fork or the restore, the child's page faults and CPU time, and
// host-time marks the child leaves in a page shared with the zygote (seed begun, main module
// returned, run finished). A recycled child answers on a socket of its own with its exit code and cost.
// A child that crashes or hangs is killed and reported; the zygote goes on. It ends when its control
// socket closes.
#pragma once

#include "runtime/node/launch.h"

namespace loopsim::node_host {

struct ZygoteMarks;

// Serves requests on launch.zygote_fd. Returns only in a forked child, with the seed it is to run (each
// seed of a recycled child returns from here again) and
// the marks it leaves for the zygote (MarkMainReturned, MarkFinished); the zygote itself exits when its
// control socket closes. Call with node booted and nothing in flight.
SeedLaunch ServeZygote(const Launch& launch, ZygoteMarks** marks);

void MarkMainReturned(ZygoteMarks* marks);
void MarkFinished(ZygoteMarks* marks);

// Where a seed's process would end (host.h's EndProcess), in a child that recycles itself: replies to
// the zygote, puts the child back as it was before its first seed and waits for the next one. Returns
// only when the child does not recycle itself (it then exits as a forked child does).
void EndSeedInChild(int code);

}  // namespace loopsim::node_host
