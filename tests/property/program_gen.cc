// See program_gen.h. Generation draws each node's construct and then its children, so rapidcheck shrinks
// a failing program by dropping statements, flattening nesting and moving constructs toward the simplest
// (the front of the construct list).
#include "tests/property/program_gen.h"

#include <deque>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

namespace loopsim::testing {

namespace {

struct Limits {
  int depth;         // levels of nesting below the top level
  int max_children;  // per callback
  int max_top;       // statements at the top level
};

Limits LimitsOf(Flavour flavour) {
  return flavour == Flavour::kAny ? Limits{2, 3, 4} : Limits{2, 2, 3};
}

bool IsSocket(Construct c) { return c == Construct::kTcp || c == Construct::kUnixSocket || c == Construct::kUdp; }

std::vector<Construct> ConstructsOf(Flavour flavour) {
  std::vector<Construct> all = {Construct::kImmediate, Construct::kNextTick, Construct::kMicrotask,
                                Construct::kPromise,   Construct::kAwait,    Construct::kTimeout,
                                Construct::kFsSync};
  if (flavour == Flavour::kAny) {
    for (Construct c : {Construct::kInterval, Construct::kFsCallback, Construct::kFsPromise,
                        Construct::kMessagePort, Construct::kDelayMonitor}) {
      all.push_back(c);
    }
  }
  for (Construct c : {Construct::kTcp, Construct::kUnixSocket, Construct::kUdp}) all.push_back(c);
  return all;
}

rc::Gen<Node> GenNode(Flavour flavour, int depth) {
  return rc::gen::exec([flavour, depth] {
    Node node;
    node.construct = *rc::gen::elementOf(ConstructsOf(flavour));
    node.delay_ms = *rc::gen::inRange(0, 31);
    if (node.construct == Construct::kInterval || node.construct == Construct::kMessagePort ||
        IsSocket(node.construct)) {
      node.repeat = *rc::gen::inRange(1, 4);
    }
    if (node.construct == Construct::kDelayMonitor) node.delay_ms = *rc::gen::inRange(10, 21);
    if (flavour == Flavour::kAny && (node.construct == Construct::kTcp || node.construct == Construct::kUnixSocket)) {
      node.style = *rc::gen::elementOf(
          std::vector<SocketStyle>{SocketStyle::kPlain, SocketStyle::kBigReply, SocketStyle::kClientDestroys});
    }
    // A delay monitor has no callback of its own to nest in.
    if (depth > 0 && node.construct != Construct::kDelayMonitor) {
      const int n = *rc::gen::inRange(0, LimitsOf(flavour).max_children + 1);
      for (int i = 0; i < n; ++i) {
        Node child = *GenNode(flavour, depth - 1);
        child.at = *rc::gen::inRange(0, CallbackCount(node.construct));
        node.children.push_back(std::move(child));
      }
    }
    return node;
  });
}

// The deterministic flavour keeps the first socket construct (in tree order) and makes every later one
// an immediate with the same children (see program_gen.h for why).
void KeepOneSocket(std::vector<Node>& nodes, bool& seen) {
  for (Node& n : nodes) {
    if (IsSocket(n.construct)) {
      if (seen) n.construct = Construct::kImmediate;
      seen = true;
    }
    KeepOneSocket(n.children, seen);
  }
}

// A reply larger than the virtual network's socket buffers (256 KiB each way) and Linux's defaults.
constexpr int kBigReplyBytes = 600 * 1024;

// The callbacks of the socket constructs, in the order CallbackCount counts them. Stream sockets:
enum StreamCallback {
  kConnection,     // the server's 'connection' (it stops listening there)
  kConnect,        // the client's connect callback (it sends the first message there)
  kClientWriteCb,  // the callback of the client's first write
  kServerData,     // the server's first 'data' (it replies to every message)
  kClientData,     // the client's first 'data' (it sends the next message, or ends after the last)
  kServerEnd,      // the server side's 'end'
  kClientEnd,      // the client's 'end'
  kServerSocketClose,
  kClientClose,
  kServerClose,    // the callback of server.close(): every connection has closed
  kStreamCallbacks,
};
// UDP:
enum UdpCallback {
  kListening,  // b's bind callback (a sends the first message there)
  kSendCb,     // the callback of a's first send
  kBMessage,   // b's first 'message' (it replies to every message)
  kAMessage,   // a's first 'message' (it sends the next message, or closes both after the last)
  kAClose,
  kBClose,
  kUdpCallbacks,
};

// The call that runs the body of a construct in a callback passed to it ("" for the other constructs).
std::string_view CallbackCall(Construct construct) {
  switch (construct) {
    case Construct::kImmediate: return "setImmediate";
    case Construct::kNextTick: return "process.nextTick";
    case Construct::kMicrotask: return "queueMicrotask";
    case Construct::kPromise: return "Promise.resolve().then";
    default: return "";
  }
}

// Prints the tree. Labels count callbacks in print order; deterministic timers get their delays from
// nominal slots handed out breadth-first, so a timer's slot is always later than its timer ancestor's.
class Printer {
 public:
  explicit Printer(const Program& program) : program_(program) {
    if (program.flavour == Flavour::kDeterministic) AssignSlots();
  }

  std::string Print() {
    out_ << "'use strict';\nconst fs = require('fs');\n";
    if (Uses(program_.body, Construct::kDelayMonitor)) {
      out_ << "const { monitorEventLoopDelay } = require('perf_hooks');\n";
    }
    if (Uses(program_.body, Construct::kTcp) || Uses(program_.body, Construct::kUnixSocket)) {
      out_ << "const net = require('net');\n";
    }
    if (Uses(program_.body, Construct::kUnixSocket)) {
      out_ << "const os = require('os');\nconst path = require('path');\n";
    }
    if (Uses(program_.body, Construct::kUdp)) out_ << "const dgram = require('dgram');\n";
    for (const Node& n : program_.body) PrintNode(n, 0, 0);
    return out_.str();
  }

 private:
  static bool Uses(const std::vector<Node>& nodes, Construct c) {
    for (const Node& n : nodes) {
      if (n.construct == c || Uses(n.children, c)) return true;
    }
    return false;
  }

  void AssignSlots() {
    std::deque<const Node*> queue;
    for (const Node& n : program_.body) queue.push_back(&n);
    int next = 1;
    while (!queue.empty()) {
      const Node* n = queue.front();
      queue.pop_front();
      if (n->construct == Construct::kTimeout) slot_[n] = next++;
      for (const Node& c : n->children) queue.push_back(&c);
    }
  }

  std::string Pad(int indent) { return std::string(static_cast<size_t>(indent) * 2, ' '); }

  // Prints the body of a callback: its label, then its children.
  void PrintBody(const Node& n, int indent, int nominal_ms, const std::string& extra = "") {
    const int label = ++labels_;
    out_ << Pad(indent) << "console.log('L" << label << "'" << extra << ");\n";
    for (const Node& c : n.children) PrintNode(c, indent, nominal_ms);
  }

  // Prints the body of callback `which` of a socket construct: its label, then the children that run there.
  void PrintCallback(const Node& n, int which, int indent, int nominal_ms) {
    const int label = ++labels_;
    out_ << Pad(indent) << "console.log('L" << label << "');\n";
    for (const Node& c : n.children) {
      if (c.at % CallbackCount(n.construct) == which) PrintNode(c, indent, nominal_ms);
    }
  }

  // Callback `which` of a socket construct as a function passed to a call: `open` (the call up to the
  // function's opening brace) on a line of its own at `indent`, the body a level in, then "});".
  void PrintCallbackIn(const Node& n, int which, int indent, int nominal_ms, const std::string& open) {
    const std::string pad = Pad(indent);
    out_ << pad << open << "\n";
    PrintCallback(n, which, indent + 1, nominal_ms);
    out_ << pad << "});\n";
  }

  // A server and a client on TCP (127.0.0.1, port 0) or a unix socket, exchanging n.repeat rounds of
  // 'ping' and a reply ('pong', or kBigReplyBytes for SocketStyle::kBigReply). Each side writes one
  // message and waits for the whole answer, so every 'data' event of the server holds one 'ping' and the
  // client counts a reply's bytes. The server stops listening at its connection, and its side ends when
  // the client's does (allowHalfOpen is off), so both sockets and the server close.
  void PrintStreamPair(const Node& n, int indent, int nominal_ms) {
    const std::string pad = Pad(indent);
    const std::string v = std::to_string(++vars_);
    const std::string s = "s" + v, c = "c" + v, k = "k" + v;
    const bool unix_socket = n.construct == Construct::kUnixSocket;
    const int i1 = indent + 1, i2 = indent + 2, i3 = indent + 3;
    const std::string p1 = Pad(i1), p2 = Pad(i2), p3 = Pad(i3);
    out_ << pad << "{\n";
    if (unix_socket) {
      // The process id keeps concurrent runs of the reference node apart; closing the server removes it.
      out_ << p1 << "const p" << v << " = path.join(os.tmpdir(), `loopsim-prop-${process.pid}-" << v
           << ".sock`);\n";
    }
    out_ << p1 << "const " << s << " = net.createServer((" << c << ") => {\n";
    PrintCallbackIn(n, kServerClose, i2, nominal_ms, s + ".close(() => {");
    out_ << p2 << "let n = 0;\n";
    const bool big = n.style == SocketStyle::kBigReply;
    const std::string reply = big ? "Buffer.alloc(" + std::to_string(kBigReplyBytes) + ", 'x')" : "'pong'";
    out_ << p2 << c << ".on('data', () => {\n";
    out_ << p3 << c << ".write(" << reply << ");\n";
    out_ << p3 << "if (++n > 1) return console.log('again', n);\n";
    PrintCallback(n, kServerData, i3, nominal_ms);
    out_ << p2 << "});\n";
    PrintCallbackIn(n, kServerEnd, i2, nominal_ms, c + ".on('end', () => {");
    PrintCallbackIn(n, kServerSocketClose, i2, nominal_ms, c + ".on('close', () => {");
    PrintCallback(n, kConnection, i2, nominal_ms);
    out_ << p1 << "});\n";
    const std::string address = unix_socket ? "p" + v : s + ".address().port, '127.0.0.1'";
    out_ << p1 << s << ".listen(" << (unix_socket ? "p" + v : "0, '127.0.0.1'") << ", () => {\n";
    out_ << p2 << "const " << k << " = net.connect(" << address << ", () => {\n";
    PrintCallbackIn(n, kClientWriteCb, i3, nominal_ms, k + ".write('ping', () => {");
    PrintCallback(n, kConnect, i3, nominal_ms);
    out_ << p2 << "});\n";
    out_ << p2 << "let n = 0, got = 0;\n";
    out_ << p2 << k << ".on('data', (d) => {\n";
    out_ << p3 << "if ((got += d.length) < " << (big ? kBigReplyBytes : 4) << ") return;\n";
    out_ << p3 << "got = 0;\n";
    out_ << p3 << "if (++n < " << n.repeat << ") " << k << ".write('ping'); else " << k
         << (n.style == SocketStyle::kClientDestroys ? ".destroy();\n" : ".end();\n");
    out_ << p3 << "if (n > 1) return console.log('again', n);\n";
    PrintCallback(n, kClientData, i3, nominal_ms);
    out_ << p2 << "});\n";
    PrintCallbackIn(n, kClientEnd, i2, nominal_ms, k + ".on('end', () => {");
    PrintCallbackIn(n, kClientClose, i2, nominal_ms, k + ".on('close', () => {");
    out_ << p1 << "});\n";
    out_ << pad << "}\n";
  }

  // Two UDP sockets on 127.0.0.1: a sends 'ping' to b, b answers every message with 'pong', and after
  // n.repeat rounds a closes both.
  void PrintUdpPair(const Node& n, int indent, int nominal_ms) {
    const std::string pad = Pad(indent);
    const std::string v = std::to_string(++vars_);
    const std::string a = "a" + v, b = "b" + v;
    const int i1 = indent + 1, i2 = indent + 2, i3 = indent + 3;
    const std::string p1 = Pad(i1), p2 = Pad(i2), p3 = Pad(i3);
    out_ << pad << "{\n";
    out_ << p1 << "const " << a << " = dgram.createSocket('udp4');\n";
    out_ << p1 << "const " << b << " = dgram.createSocket('udp4');\n";
    out_ << p1 << "let na = 0, nb = 0;\n";
    out_ << p1 << b << ".on('message', (msg, from) => {\n";
    out_ << p2 << b << ".send('pong', from.port, '127.0.0.1');\n";
    out_ << p2 << "if (++nb > 1) return console.log('again', nb);\n";
    PrintCallback(n, kBMessage, i2, nominal_ms);
    out_ << p1 << "});\n";
    out_ << p1 << a << ".on('message', () => {\n";
    out_ << p2 << "if (++na < " << n.repeat << ") {\n";
    out_ << p3 << a << ".send('ping', " << b << ".address().port, '127.0.0.1');\n";
    out_ << p2 << "} else {\n";
    PrintCallbackIn(n, kAClose, i3, nominal_ms, a + ".close(() => {");
    PrintCallbackIn(n, kBClose, i3, nominal_ms, b + ".close(() => {");
    out_ << p2 << "}\n";
    out_ << p2 << "if (na > 1) return console.log('again', na);\n";
    PrintCallback(n, kAMessage, i2, nominal_ms);
    out_ << p1 << "});\n";
    out_ << p1 << b << ".bind(0, '127.0.0.1', () => {\n";
    out_ << p2 << a << ".send('ping', " << b << ".address().port, '127.0.0.1', () => {\n";
    PrintCallback(n, kSendCb, i3, nominal_ms);
    out_ << p2 << "});\n";
    PrintCallback(n, kListening, i2, nominal_ms);
    out_ << p1 << "});\n";
    out_ << pad << "}\n";
  }

  // The node's body inside a callback: `open` on a line of its own, the body a level in, then `close`.
  void PrintWrapped(const Node& n, int indent, int nominal_ms, const std::string& open,
                    const std::string& close = "});") {
    const std::string pad = Pad(indent);
    out_ << pad << open << "\n";
    PrintBody(n, indent + 1, nominal_ms);
    out_ << pad << close << "\n";
  }

  void PrintNode(const Node& n, int indent, int nominal_ms) {
    const std::string pad = Pad(indent);
    switch (n.construct) {
      case Construct::kImmediate:
      case Construct::kNextTick:
      case Construct::kMicrotask:
      case Construct::kPromise:
        PrintWrapped(n, indent, nominal_ms, std::string(CallbackCall(n.construct)) + "(() => {");
        break;
      case Construct::kAwait:
        out_ << pad << "(async () => {\n" << pad << "  await null;\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "})();\n";
        break;
      case Construct::kTimeout: {
        int delay = n.delay_ms;
        int nominal = nominal_ms;
        if (program_.flavour == Flavour::kDeterministic) {
          nominal = slot_.at(&n) * kSlotMs;
          delay = nominal - nominal_ms;
        }
        PrintWrapped(n, indent, nominal, "setTimeout(() => {", "}, " + std::to_string(delay) + ");");
        break;
      }
      case Construct::kFsSync: {
        const int label = ++labels_;
        out_ << pad << "console.log('L" << label << "', fs.statSync(__filename).isFile());\n";
        for (const Node& c : n.children) PrintNode(c, indent, nominal_ms);
        break;
      }
      case Construct::kInterval: {
        const std::string v = "n" + std::to_string(++vars_);
        out_ << pad << "{\n" << pad << "  let " << v << " = 0;\n";
        out_ << pad << "  const h" << v << " = setInterval(() => {\n";
        out_ << pad << "    " << v << "++;\n";
        out_ << pad << "    if (" << v << " >= " << n.repeat << ") clearInterval(h" << v << ");\n";
        out_ << pad << "    if (" << v << " > 1) return console.log('again', " << v << ");\n";
        PrintBody(n, indent + 2, nominal_ms);
        out_ << pad << "  }, " << n.delay_ms << ");\n" << pad << "}\n";
        break;
      }
      case Construct::kFsCallback: {
        static const char* const kOps[] = {"fs.stat(__filename, ", "fs.readFile(__filename, ",
                                           "fs.access(__filename, "};
        out_ << pad << kOps[labels_ % 3] << "() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
        break;
      }
      case Construct::kFsPromise:
        out_ << pad << "fs.promises.stat(__filename).then(() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
        break;
      case Construct::kMessagePort: {
        const std::string v = "c" + std::to_string(++vars_);
        out_ << pad << "{\n" << pad << "  const " << v << " = new MessageChannel();\n";
        out_ << pad << "  " << v << ".port2.on('message', (m) => {\n";
        out_ << pad << "    if (m === " << n.repeat - 1 << ") " << v << ".port2.close();\n";
        out_ << pad << "    if (m !== 0) return;\n";
        PrintBody(n, indent + 2, nominal_ms);
        out_ << pad << "  });\n";
        out_ << pad << "  for (let i = 0; i < " << n.repeat << "; ++i) " << v << ".port1.postMessage(i);\n";
        out_ << pad << "}\n";
        break;
      }
      case Construct::kDelayMonitor: {
        const std::string v = "m" + std::to_string(++vars_);
        out_ << pad << "{\n";
        out_ << pad << "  const " << v << "a = monitorEventLoopDelay({ resolution: " << n.delay_ms << " });\n";
        out_ << pad << "  const " << v << "b = monitorEventLoopDelay({ resolution: " << n.delay_ms << " });\n";
        out_ << pad << "  " << v << "a.enable();\n" << pad << "  " << v << "b.enable();\n";
        out_ << pad << "  setTimeout(() => { " << v << "a.disable(); " << v << "b.disable(); }, "
             << 3 * n.delay_ms << ");\n";
        out_ << pad << "}\n";
        break;
      }
      case Construct::kTcp:
      case Construct::kUnixSocket:
        PrintStreamPair(n, indent, nominal_ms);
        break;
      case Construct::kUdp:
        PrintUdpPair(n, indent, nominal_ms);
        break;
    }
  }

  const Program& program_;
  std::ostringstream out_;
  int labels_ = 0;
  int vars_ = 0;
  std::map<const Node*, int> slot_;
};

}  // namespace

int CallbackCount(Construct construct) {
  switch (construct) {
    case Construct::kTcp:
    case Construct::kUnixSocket: return kStreamCallbacks;
    case Construct::kUdp: return kUdpCallbacks;
    default: return 1;
  }
}

rc::Gen<Program> GenProgram(Flavour flavour) {
  return rc::gen::exec([flavour] {
    Program p;
    p.flavour = flavour;
    const Limits limits = LimitsOf(flavour);
    const int n = *rc::gen::inRange(1, limits.max_top + 1);
    for (int i = 0; i < n; ++i) p.body.push_back(*GenNode(flavour, limits.depth));
    if (flavour == Flavour::kDeterministic) {
      bool seen = false;
      KeepOneSocket(p.body, seen);
    }
    return p;
  });
}

std::string ToJavaScript(const Program& program) { return Printer(program).Print(); }

void showValue(const Program& program, std::ostream& os) { os << "\n" << ToJavaScript(program); }

}  // namespace loopsim::testing
