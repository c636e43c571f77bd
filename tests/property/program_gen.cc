// See program_gen.h. Generation draws each node's construct and then its children, so rapidcheck shrinks
// a failing program by dropping statements, flattening nesting and moving constructs toward the simplest
// (the front of the construct list).
#include "tests/property/program_gen.h"

#include <deque>
#include <map>
#include <sstream>

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
  return all;
}

rc::Gen<Node> GenNode(Flavour flavour, int depth) {
  return rc::gen::exec([flavour, depth] {
    Node node;
    node.construct = *rc::gen::elementOf(ConstructsOf(flavour));
    node.delay_ms = *rc::gen::inRange(0, 31);
    if (node.construct == Construct::kInterval) node.repeat = *rc::gen::inRange(1, 4);
    if (node.construct == Construct::kDelayMonitor) node.delay_ms = *rc::gen::inRange(10, 21);
    // A delay monitor has no callback of its own to nest in.
    if (depth > 0 && node.construct != Construct::kDelayMonitor) {
      const int n = *rc::gen::inRange(0, LimitsOf(flavour).max_children + 1);
      for (int i = 0; i < n; ++i) node.children.push_back(*GenNode(flavour, depth - 1));
    }
    return node;
  });
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

  void PrintNode(const Node& n, int indent, int nominal_ms) {
    const std::string pad = Pad(indent);
    switch (n.construct) {
      case Construct::kImmediate:
        out_ << pad << "setImmediate(() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
        break;
      case Construct::kNextTick:
        out_ << pad << "process.nextTick(() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
        break;
      case Construct::kMicrotask:
        out_ << pad << "queueMicrotask(() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
        break;
      case Construct::kPromise:
        out_ << pad << "Promise.resolve().then(() => {\n";
        PrintBody(n, indent + 1, nominal_ms);
        out_ << pad << "});\n";
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
        out_ << pad << "setTimeout(() => {\n";
        PrintBody(n, indent + 1, nominal);
        out_ << pad << "}, " << delay << ");\n";
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
        out_ << pad << "  " << v << ".port2.on('message', () => {\n";
        out_ << pad << "    " << v << ".port2.close();\n";
        PrintBody(n, indent + 2, nominal_ms);
        out_ << pad << "  });\n" << pad << "  " << v << ".port1.postMessage(0);\n" << pad << "}\n";
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
    }
  }

  const Program& program_;
  std::ostringstream out_;
  int labels_ = 0;
  int vars_ = 0;
  std::map<const Node*, int> slot_;
};

}  // namespace

rc::Gen<Program> GenProgram(Flavour flavour) {
  return rc::gen::exec([flavour] {
    Program p;
    p.flavour = flavour;
    const Limits limits = LimitsOf(flavour);
    const int n = *rc::gen::inRange(1, limits.max_top + 1);
    for (int i = 0; i < n; ++i) p.body.push_back(*GenNode(flavour, limits.depth));
    return p;
  });
}

std::string ToJavaScript(const Program& program) { return Printer(program).Print(); }

void showValue(const Program& program, std::ostream& os) { os << "\n" << ToJavaScript(program); }

}  // namespace loopsim::testing
