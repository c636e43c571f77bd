// Streams of the simulated libuv against libuv's contract, through the uv API directly (no Node): TCP on
// 127.0.0.1 and unix-domain pipes under /tmp, on every backend personality. Each test runs its scenario
// on seeds 0..19, because when bytes arrive, how long callbacks take and in which order ready streams
// are dispatched depend on the seed; the read buffer size varies with the seed too, so reads come whole
// and in pieces.
//
// The expectations are libuv's unix ones (src/unix/stream.c, tcp.c, pipe.c). Where Windows libuv
// (src/win/*), which the iocp personality stands for, promises something else, the test says so and
// holds iocp to the Windows promise.
#include <gtest/gtest.h>
#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "runtime/simulation.h"
#include "tests/support/backends.h"

namespace loopsim {
namespace {

constexpr uint64_t kSeeds = 20;
constexpr int kPort = 7401;
constexpr char kPipePath[] = "/tmp/loopsim-uv-stream-test.sock";

enum class Transport { kTcp, kPipe };

struct StreamParam {
  std::string backend;
  Transport transport;
};

void PrintTo(const StreamParam& p, std::ostream* os) {
  *os << p.backend << (p.transport == Transport::kTcp ? " tcp" : " pipe");
}

union AnyStream {
  uv_handle_t handle;
  uv_stream_t stream;
  uv_tcp_t tcp;
  uv_pipe_t pipe;
};

// The byte at `offset` of the stream a side sends: it differs between neighbouring offsets and between
// sides, so a lost, repeated or reordered piece shows in a comparison.
char PayloadByte(uint64_t offset, uint32_t salt) {
  uint32_t x = static_cast<uint32_t>(offset) * 2654435761u + salt;
  x ^= x >> 15;
  return static_cast<char>(x);
}

std::string Payload(uint64_t from, size_t n, uint32_t salt) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = PayloadByte(from + i, salt);
  return s;
}

// One uv_write request and what its callback saw.
struct WriteOp {
  uv_write_t req;
  int index = 0;
  std::string data;  // the bytes, alive until the callback
  uint64_t end = 0;  // stream offset just past its last byte
  int calls = 0;
  int status = 1;  // 1 until the callback ran
};

// One stream handle (a listener, a client or an accepted connection) and what the test saw of it.
struct Side {
  AnyStream s;
  std::string name;
  uint32_t salt = 0;
  size_t alloc_size = 64 * 1024;
  std::vector<char> buffer;
  std::string received;
  bool reading = false;  // the test's own view: read callbacks may come only while it is true
  int eofs = 0;
  std::vector<int> read_errors;
  int connect_cbs = 0;
  int connect_status = 1;
  std::deque<WriteOp> writes;  // stable addresses: requests point at their op
  uint64_t submitted = 0;      // stream bytes handed to uv_write or taken by uv_try_write so far
  std::vector<int> write_cb_order;
  int shutdown_cbs = 0;
  int shutdown_status = 1;
  int close_cbs = 0;
  std::function<void(Side&)> on_connect;
  std::function<void(Side&)> on_data;
  std::function<void(Side&)> on_eof;
  std::function<void(Side&)> on_write;  // after each write callback
  std::function<void(Side&)> on_shutdown;
};

// Everything one seed's run owns; the loop's data points at it.
struct World {
  Transport transport = Transport::kTcp;
  uint64_t seed = 0;
  uv_loop_t loop;
  std::deque<Side> sides;  // stable addresses: handles point at their side
  std::vector<std::string> log;
  int connections = 0;
  Side* server = nullptr;
  Side* client = nullptr;
  Side* accepted = nullptr;
  std::function<void(World&)> on_connected;  // once the client's connect callback and the accept ran
  std::function<void(World&, Side&)> on_accept;
  uv_timer_t timer;
  std::function<void(World&)> on_timer;
  uint64_t mark = 0;  // a number a scenario keeps for its check

  Side& NewSide(const std::string& name) {
    Side& side = sides.emplace_back();
    side.name = name;
    side.salt = static_cast<uint32_t>(sides.size()) * 7919u;
    static constexpr size_t kAllocSizes[] = {64 * 1024, 100 * 1000, 4096, 1000};
    side.alloc_size = kAllocSizes[seed % 4];
    if (transport == Transport::kTcp) {
      EXPECT_EQ(uv_tcp_init(&loop, &side.s.tcp), 0);
    } else {
      EXPECT_EQ(uv_pipe_init(&loop, &side.s.pipe, 0), 0);
    }
    side.s.handle.data = &side;
    return side;
  }
};

World& W(const void* handle) { return *static_cast<World*>(static_cast<const uv_handle_t*>(handle)->loop->data); }
Side& S(const void* handle) { return *static_cast<Side*>(static_cast<const uv_handle_t*>(handle)->data); }

void OnClose(uv_handle_t* h) {
  Side& side = S(h);
  EXPECT_EQ(uv_is_closing(h), 1);
  EXPECT_EQ(side.close_cbs, 0) << side.name << ": a second close callback";
  ++side.close_cbs;
  W(h).log.push_back("close:" + side.name);
}

void Close(Side& side) { uv_close(&side.s.handle, OnClose); }

// Runs the world's on_timer once, `ms` from now, and closes the timer.
void After(World& w, uint64_t ms, std::function<void(World&)> fn) {
  w.on_timer = std::move(fn);
  uv_timer_init(&w.loop, &w.timer);
  uv_timer_start(
      &w.timer,
      [](uv_timer_t* t) {
        World& world = W(t);
        uv_close(reinterpret_cast<uv_handle_t*>(t), nullptr);
        world.on_timer(world);
      },
      ms, 0);
}

void OnAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  Side& side = S(h);
  side.buffer.resize(side.alloc_size);
  *buf = uv_buf_init(side.buffer.data(), static_cast<unsigned>(side.alloc_size));
}

void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  Side& side = S(stream);
  EXPECT_EQ(side.close_cbs, 0) << side.name << ": a read callback after the close callback";
  EXPECT_TRUE(side.reading) << side.name << ": a read callback while reading was stopped";
  EXPECT_EQ(side.eofs, 0) << side.name << ": a read callback after UV_EOF";
  if (nread > 0) {
    side.received.append(buf->base, static_cast<size_t>(nread));
    if (side.on_data) side.on_data(side);
  } else if (nread == UV_EOF) {
    ++side.eofs;
    side.reading = false;  // libuv stops reading at the end of the stream
    W(stream).log.push_back("eof:" + side.name);
    if (side.on_eof) side.on_eof(side);
  } else if (nread < 0) {
    side.read_errors.push_back(static_cast<int>(nread));
  }
}

void StartReading(Side& side) {
  side.reading = true;
  EXPECT_EQ(uv_read_start(&side.s.stream, OnAlloc, OnRead), 0);
}

// The accepted side reads, and its end of file closes it and the client.
void ReadUntilEofThenCloseBothEnds(Side& accepted) {
  accepted.on_eof = [](Side& a) {
    Close(a);
    Close(*W(&a.s.handle).client);
  };
  StartReading(accepted);
}

void StopReading(Side& side) {
  EXPECT_EQ(uv_read_stop(&side.s.stream), 0);
  side.reading = false;
}

void OnWrite(uv_write_t* req, int status) {
  auto& op = *static_cast<WriteOp*>(req->data);
  Side& side = S(req->handle);
  EXPECT_EQ(side.close_cbs, 0) << side.name << ": write " << op.index << " completed after the close callback";
  ++op.calls;
  op.status = status;
  side.write_cb_order.push_back(op.index);
  W(req->handle).log.push_back("write:" + side.name + ":" + std::to_string(op.index));
  if (side.on_write) side.on_write(side);
}

// Writes `data` as one request, cut into buffers of the given sizes (one buffer when empty).
WriteOp& WriteBytes(Side& side, std::string data, std::vector<size_t> sizes = {}) {
  if (sizes.empty()) sizes.push_back(data.size());
  WriteOp& op = side.writes.emplace_back();
  op.index = static_cast<int>(side.writes.size()) - 1;
  op.data = std::move(data);
  op.req.data = &op;
  std::vector<uv_buf_t> bufs;
  size_t at = 0;
  for (size_t n : sizes) {
    bufs.push_back(uv_buf_init(op.data.data() + at, static_cast<unsigned>(n)));
    at += n;
  }
  EXPECT_EQ(at, op.data.size());
  side.submitted += op.data.size();
  op.end = side.submitted;
  EXPECT_EQ(uv_write(&op.req, &side.s.stream, bufs.data(), static_cast<unsigned>(bufs.size()), OnWrite), 0);
  return op;
}

// Writes the side's next payload bytes, cut into buffers of the given sizes, as one request.
WriteOp& Write(Side& side, const std::vector<size_t>& sizes) {
  size_t total = 0;
  for (size_t n : sizes) total += n;
  return WriteBytes(side, Payload(side.submitted, total, side.salt), sizes);
}

// uv_try_write of the side's next n payload bytes; what it took counts as sent.
int TryWrite(Side& side, size_t n) {
  std::string data = Payload(side.submitted, n, side.salt);
  uv_buf_t buf = uv_buf_init(data.data(), static_cast<unsigned>(n));
  const int r = uv_try_write(&side.s.stream, &buf, 1);
  if (r > 0) side.submitted += static_cast<uint64_t>(r);
  return r;
}

void OnShutdown(uv_shutdown_t* req, int status) {
  Side& side = S(req->handle);
  EXPECT_EQ(side.close_cbs, 0);
  ++side.shutdown_cbs;
  side.shutdown_status = status;
  W(req->handle).log.push_back("shutdown:" + side.name);
  delete req;
  if (side.on_shutdown) side.on_shutdown(side);
}

void Shutdown(Side& side) {
  auto* req = new uv_shutdown_t;
  const int err = uv_shutdown(req, &side.s.stream, OnShutdown);
  EXPECT_EQ(err, 0);
  if (err != 0) delete req;
}

void MaybeConnected(World& w) {
  if (w.client == nullptr || w.client->connect_cbs != 1 || w.client->connect_status != 0 || w.accepted == nullptr) {
    return;
  }
  if (w.on_connected) {
    auto hook = std::move(w.on_connected);
    w.on_connected = nullptr;
    hook(w);
  }
}

void OnConnect(uv_connect_t* req, int status) {
  Side& side = S(req->handle);
  delete req;
  EXPECT_EQ(side.close_cbs, 0);
  ++side.connect_cbs;
  side.connect_status = status;
  W(&side.s.handle).log.push_back("connect:" + side.name);
  if (side.on_connect) side.on_connect(side);
  MaybeConnected(W(&side.s.handle));
}

void OnConnection(uv_stream_t* server, int status) {
  World& w = W(server);
  EXPECT_EQ(S(server).close_cbs, 0);
  EXPECT_EQ(status, 0);
  ++w.connections;
  w.log.push_back("connection");
  if (status != 0) return;
  Side& accepted = w.NewSide(w.connections == 1 ? "accepted" : "accepted" + std::to_string(w.connections));
  EXPECT_EQ(uv_accept(server, &accepted.s.stream), 0);
  if (w.accepted == nullptr) w.accepted = &accepted;
  if (w.on_accept) w.on_accept(w, accepted);
  MaybeConnected(w);
}

// Binds the server to the transport's address and listens.
int Listen(World& w, Side& server) {
  int err;
  if (w.transport == Transport::kTcp) {
    sockaddr_in addr;
    EXPECT_EQ(uv_ip4_addr("127.0.0.1", kPort, &addr), 0);
    err = uv_tcp_bind(&server.s.tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
  } else {
    err = uv_pipe_bind(&server.s.pipe, kPipePath);
  }
  if (err != 0) return err;
  return uv_listen(&server.s.stream, 16, OnConnection);
}

void Connect(World& w, Side& client) {
  auto* req = new uv_connect_t;
  if (w.transport == Transport::kTcp) {
    sockaddr_in addr;
    EXPECT_EQ(uv_ip4_addr("127.0.0.1", kPort, &addr), 0);
    const int err = uv_tcp_connect(req, &client.s.tcp, reinterpret_cast<const sockaddr*>(&addr), OnConnect);
    EXPECT_EQ(err, 0);
    if (err != 0) delete req;
  } else {
    uv_pipe_connect(req, &client.s.pipe, kPipePath, OnConnect);
  }
}

// A listener, a client connecting to it and, once both ends are up, `on_connected`.
void ConnectPair(World& w, std::function<void(World&)> on_connected) {
  w.server = &w.NewSide("server");
  ASSERT_EQ(Listen(w, *w.server), 0);
  w.client = &w.NewSide("client");
  w.on_connected = std::move(on_connected);
  Connect(w, *w.client);
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::vector<std::string> CloseOrder(const World& w) {
  std::vector<std::string> closes;
  for (const std::string& e : w.log) {
    if (StartsWith(e, "close:")) closes.push_back(e.substr(6));
  }
  return closes;
}

// Where `event` is in the log (log size when absent).
size_t At(const World& w, const std::string& event) {
  return static_cast<size_t>(std::find(w.log.begin(), w.log.end(), event) - w.log.begin());
}

// The exchange most tests build on: the client sends writes of the given buffer sizes and ends its
// stream; the accepted end reads it all, answers with the byte count over the half-closed connection and
// ends its own; each side closes when both directions are done.
const std::vector<std::vector<size_t>> kExchangeWrites = {
    {100}, {200 * 1024}, {1, 10, 1000, 70000, 3, 5000}, {70 * 1024}};

void ExchangeScenario(World& w) {
  ConnectPair(w, [](World& world) {
    Side& client = *world.client;
    Side& accepted = *world.accepted;
    Close(*world.server);
    StartReading(accepted);
    StartReading(client);
    for (const auto& sizes : kExchangeWrites) Write(client, sizes);
    Shutdown(client);
    EXPECT_EQ(uv_is_writable(&client.s.stream), 0);
    uv_write_t late;
    char byte = 'x';
    uv_buf_t buf = uv_buf_init(&byte, 1);
    EXPECT_EQ(uv_write(&late, &client.s.stream, &buf, 1, OnWrite), UV_EPIPE) << "a write after uv_shutdown";
    accepted.on_eof = [](Side& a) {
      EXPECT_EQ(a.received.size(), W(&a.s.handle).client->submitted) << "UV_EOF came before all the data";
      WriteBytes(a, std::to_string(a.received.size()));
      Shutdown(a);
    };
    accepted.on_shutdown = [](Side& a) { Close(a); };
    client.on_eof = [](Side& c) {
      if (c.shutdown_cbs == 1) Close(c);
    };
    client.on_shutdown = [](Side& c) {
      if (c.eofs == 1) Close(c);
    };
  });
}

void CheckExchange(World& w) {
  ASSERT_NE(w.accepted, nullptr);
  Side& client = *w.client;
  Side& accepted = *w.accepted;
  EXPECT_EQ(client.connect_cbs, 1);
  EXPECT_EQ(client.connect_status, 0);
  EXPECT_EQ(w.connections, 1);
  EXPECT_EQ(accepted.received.size(), client.submitted);
  EXPECT_TRUE(accepted.received == Payload(0, client.submitted, client.salt)) << "bytes lost, repeated or reordered";
  EXPECT_EQ(accepted.eofs, 1);
  EXPECT_EQ(client.write_cb_order, (std::vector<int>{0, 1, 2, 3}));
  for (const WriteOp& op : client.writes) {
    EXPECT_EQ(op.calls, 1) << "write " << op.index;
    EXPECT_EQ(op.status, 0) << "write " << op.index;
  }
  EXPECT_EQ(client.shutdown_cbs, 1);
  EXPECT_EQ(client.shutdown_status, 0);
  EXPECT_LT(At(w, "write:client:3"), At(w, "shutdown:client")) << "the shutdown completed before the writes";
  EXPECT_EQ(client.received, std::to_string(client.submitted));
  EXPECT_EQ(client.eofs, 1);
  EXPECT_EQ(accepted.shutdown_status, 0);
  EXPECT_TRUE(client.read_errors.empty());
  EXPECT_TRUE(accepted.read_errors.empty());
  for (const Side& side : w.sides) EXPECT_EQ(side.close_cbs, 1) << side.name;
}

std::string ParamName(const ::testing::TestParamInfo<StreamParam>& info) {
  return info.param.backend + (info.param.transport == Transport::kTcp ? "_tcp" : "_pipe");
}

class UvStreamTest : public ::testing::TestWithParam<StreamParam> {
 protected:
  bool Iocp() const { return GetParam().backend == "iocp"; }
  bool Tcp() const { return GetParam().transport == Transport::kTcp; }

  // Runs `scenario` on a fresh simulation of `seed`, then checks that it left no handle open and no
  // request in flight (uv_loop_close refuses either), then runs `check`.
  SimulationResult RunSeed(uint64_t seed, const std::function<void(World&)>& scenario,
                           const std::function<void(World&)>& check) {
    SimulationOptions options;
    options.seed = seed;
    options.backend = GetParam().backend;
    return Simulate(options, [&] {
      World w;
      w.transport = GetParam().transport;
      w.seed = seed;
      ASSERT_EQ(uv_loop_init(&w.loop), 0);
      w.loop.data = &w;
      scenario(w);
      uv_run(&w.loop, UV_RUN_DEFAULT);
      EXPECT_EQ(uv_loop_close(&w.loop), 0) << "a handle or request outlived the scenario";
      check(w);
    });
  }

  // Runs the scenario on every seed, stopping at the first that fails.
  void ForEachSeed(const std::function<void(World&)>& scenario, const std::function<void(World&)>& check) {
    for (uint64_t seed = 0; seed < kSeeds && !HasFailure(); ++seed) {
      SCOPED_TRACE("seed " + std::to_string(seed));
      RunSeed(seed, scenario, check);
    }
  }

  // ForEachSeed with a server and a client (ConnectPair): `on_connected` runs once they are connected.
  void ForEachSeedOnAPair(const std::function<void(World&)>& on_connected, const std::function<void(World&)>& check) {
    ForEachSeed([&](World& w) { ConnectPair(w, on_connected); }, check);
  }
};

TEST_P(UvStreamTest, ConnectAndConnectionCallbacksRunExactlyOncePerConnection) {
  static constexpr int kClients = 3;
  ForEachSeed(
      [](World& w) {
        w.server = &w.NewSide("server");
        ASSERT_EQ(Listen(w, *w.server), 0);
        // Each accepted connection reads its client's name until the end, then closes; the listener
        // closes once it has accepted every client.
        w.on_accept = [](World& world, Side& accepted) {
          accepted.on_eof = [](Side& a) { Close(a); };
          StartReading(accepted);
          if (world.connections == kClients) Close(*world.server);
        };
        for (int i = 0; i < kClients; ++i) {
          Side& client = w.NewSide("client" + std::to_string(i));
          // Connected: say who it is and end the stream; close when the peer has ended its own.
          client.on_connect = [](Side& c) {
            if (c.connect_status != 0) return;
            WriteBytes(c, c.name);
            Shutdown(c);
            StartReading(c);
          };
          client.on_eof = [](Side& c) { Close(c); };
          Connect(w, client);
        }
      },
      [](World& w) {
        EXPECT_EQ(w.connections, kClients);
        std::multiset<std::string> names;
        for (const Side& side : w.sides) {
          EXPECT_EQ(side.close_cbs, 1) << side.name;
          if (StartsWith(side.name, "client")) {
            EXPECT_EQ(side.connect_cbs, 1) << side.name;
            EXPECT_EQ(side.connect_status, 0) << side.name;
            EXPECT_EQ(side.eofs, 1) << side.name;
            ASSERT_EQ(side.writes.size(), 1u);
            EXPECT_EQ(side.writes[0].calls, 1);
            EXPECT_EQ(side.writes[0].status, 0);
          } else if (StartsWith(side.name, "accepted")) {
            EXPECT_EQ(side.eofs, 1) << side.name;
            EXPECT_TRUE(side.read_errors.empty()) << side.name;
            names.insert(side.received);
          }
        }
        EXPECT_EQ(names, (std::multiset<std::string>{"client0", "client1", "client2"}));
      });
}

TEST_P(UvStreamTest, BytesArriveCompleteAndInOrderThenOneEofAfterShutdown) {
  ForEachSeed(ExchangeScenario, CheckExchange);
}

TEST_P(UvStreamTest, TheSameSeedRepeatsTheRun) {
  const SimulationResult a = RunSeed(5, ExchangeScenario, CheckExchange);
  const SimulationResult b = RunSeed(5, ExchangeScenario, CheckExchange);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.decisions, b.decisions);
  std::set<uint64_t> hashes;
  for (uint64_t seed = 0; seed < 4; ++seed) hashes.insert(RunSeed(seed, ExchangeScenario, CheckExchange).trace_hash);
  EXPECT_GT(hashes.size(), 1u) << "every seed ran the exchange the same way";
}

TEST_P(UvStreamTest, WriteCallbacksRunOnceEachInSubmissionOrderUnderBackpressure) {
  static constexpr int kWrites = 40;
  static constexpr int kChained = 5;  // more writes, submitted from the first write callbacks
  ForEachSeedOnAPair(
      [](World& world) {
        Side& client = *world.client;
        Close(*world.server);
        for (int i = 0; i < kWrites; ++i) Write(client, {static_cast<size_t>((i * 7919) % 60 + 1) * 1024});
        // More than the socket buffers hold: some writes must wait for the reader.
        EXPECT_GT(client.s.stream.write_queue_size, 0u);
        client.on_write = [](Side& c) {
          if (c.write_cb_order.size() <= static_cast<size_t>(kChained)) Write(c, {3000, 5});
          if (c.write_cb_order.size() == static_cast<size_t>(kWrites + kChained)) Shutdown(c);
        };
        Side& accepted = *world.accepted;
        ReadUntilEofThenCloseBothEnds(accepted);
      },
      [](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        Side& client = *w.client;
        std::vector<int> expected(kWrites + kChained);
        for (int i = 0; i < kWrites + kChained; ++i) expected[static_cast<size_t>(i)] = i;
        EXPECT_EQ(client.write_cb_order, expected);
        for (const WriteOp& op : client.writes) {
          EXPECT_EQ(op.calls, 1) << "write " << op.index;
          EXPECT_EQ(op.status, 0) << "write " << op.index;
        }
        EXPECT_EQ(client.shutdown_status, 0);
        EXPECT_TRUE(w.accepted->received == Payload(0, client.submitted, client.salt));
        EXPECT_EQ(w.accepted->eofs, 1);
      });
}

TEST_P(UvStreamTest, TryWriteReturnsBytesTakenOrEagain) {
  // Windows libuv has no non-blocking write on a pipe: its uv_try_write answers UV_EAGAIN for every
  // named pipe (src/win/stream.c, uv_try_write), so pipe writes always go through uv_write there.
  const bool always_eagain = Iocp() && !Tcp();
  ForEachSeedOnAPair(
      [always_eagain](World& world) {
        Side& client = *world.client;
        Close(*world.server);
        // The reader does not read yet, so what the socket takes is bounded by its buffers.
        EXPECT_EQ(TryWrite(client, 10), always_eagain ? UV_EAGAIN : 10);
        int r = 0;
        for (int tries = 0; tries < 64 && r != UV_EAGAIN; ++tries) {
          r = TryWrite(client, 64 * 1024);
          if (r != UV_EAGAIN) {
            EXPECT_GT(r, 0);
            EXPECT_LE(r, 64 * 1024);
          }
        }
        EXPECT_EQ(r, UV_EAGAIN) << "the socket took 4 MiB without a reader";
        // A uv_write now has to wait for room; while it waits, uv_try_write must not jump the queue.
        Write(client, {100 * 1024});
        if (!always_eagain) {
          EXPECT_GT(client.s.stream.write_queue_size, 0u);
        }
        EXPECT_EQ(TryWrite(client, 1), UV_EAGAIN);
        world.mark = client.submitted;
        client.on_write = [](Side& c) { Shutdown(c); };
        world.accepted->on_eof = [](Side& a) {
          Close(a);
          Close(*W(&a.s.handle).client);
        };
        StartReading(*world.accepted);
      },
      [always_eagain](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        Side& client = *w.client;
        EXPECT_EQ(client.submitted, w.mark);
        if (!always_eagain) {
          EXPECT_GT(client.submitted, 100u * 1024) << "uv_try_write took nothing";
        }
        EXPECT_TRUE(w.accepted->received == Payload(0, client.submitted, client.salt));
        ASSERT_EQ(client.writes.size(), 1u);
        EXPECT_EQ(client.writes[0].calls, 1);
        EXPECT_EQ(client.writes[0].status, 0);
        EXPECT_EQ(w.accepted->eofs, 1);
      });
}

TEST_P(UvStreamTest, NoReadCallbackAfterReadStopAndNothingIsLostMeanwhile) {
  ForEachSeedOnAPair(
      [](World& world) {
        Side& client = *world.client;
        Side& accepted = *world.accepted;
        Close(*world.server);
        Write(client, {1000});
        accepted.on_data = [](Side& a) {
          World& wd = W(&a.s.handle);
          if (wd.mark != 0) return;
          // The first bytes: stop reading (twice: stopping a stopped stream is allowed), and have the
          // client send more while nobody reads.
          StopReading(a);
          EXPECT_EQ(uv_read_stop(&a.s.stream), 0);
          EXPECT_EQ(uv_is_active(&a.s.handle), 0);
          wd.mark = a.received.size();
          Write(*wd.client, {50 * 1024});
          After(wd, 20, [](World& later) {
            Side& reader = *later.accepted;
            EXPECT_EQ(reader.received.size(), later.mark) << "bytes were read while reading was stopped";
            StartReading(reader);
            EXPECT_EQ(uv_read_start(&reader.s.stream, OnAlloc, OnRead), UV_EALREADY);
          });
        };
        client.on_write = [](Side& c) {
          if (c.write_cb_order.size() == 2) Shutdown(c);
        };
        ReadUntilEofThenCloseBothEnds(accepted);
      },
      [](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        EXPECT_GT(w.mark, 0u);
        EXPECT_LE(w.mark, 1000u);
        EXPECT_TRUE(w.accepted->received == Payload(0, w.client->submitted, w.client->salt));
        EXPECT_EQ(w.accepted->received.size(), 1000u + 50 * 1024);
        EXPECT_EQ(w.accepted->eofs, 1);
      });
}

TEST_P(UvStreamTest, ClosingWithPendingWritesCancelsThemBeforeTheCloseCallback) {
  static constexpr int kWrites = 16;
  const bool iocp = Iocp();
  ForEachSeedOnAPair(
      [](World& world) {
        Side& client = *world.client;
        Close(*world.server);
        for (int i = 0; i < kWrites; ++i) Write(client, {64 * 1024});
        // Nobody reads: once the socket buffers are full the rest of the megabyte waits in the
        // stream's queue, and is still waiting when the client closes.
        After(world, 10, [](World& later) {
          Side& c = *later.client;
          EXPECT_GT(c.s.stream.write_queue_size, 0u);
          later.mark = c.submitted - c.s.stream.write_queue_size;  // what the kernel took
          Close(c);
          later.log.push_back("close requested");
          later.accepted->on_eof = [](Side& a) { Close(a); };
          StartReading(*later.accepted);
        });
      },
      [iocp](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        Side& client = *w.client;
        ASSERT_EQ(client.writes.size(), static_cast<size_t>(kWrites));
        std::vector<int> expected(kWrites);
        for (int i = 0; i < kWrites; ++i) expected[static_cast<size_t>(i)] = i;
        EXPECT_EQ(client.write_cb_order, expected);
        const size_t close_at = At(w, "close:client");
        ASSERT_LT(close_at, w.log.size());
        for (const WriteOp& op : client.writes) {
          EXPECT_EQ(op.calls, 1) << "write " << op.index;
          EXPECT_LT(At(w, "write:client:" + std::to_string(op.index)), close_at) << "write " << op.index;
        }
        EXPECT_EQ(client.writes.back().status, UV_ECANCELED);
        if (!iocp) {
          // Unix libuv: a write the kernel took in full completes with 0 (its callback may still be due
          // when the stream closes); every other one is flushed from the queue with UV_ECANCELED
          // (src/unix/stream.c, uv__stream_destroy).
          for (const WriteOp& op : client.writes) {
            EXPECT_EQ(op.status, op.end <= w.mark ? 0 : UV_ECANCELED) << "write " << op.index;
          }
          EXPECT_EQ(w.accepted->received.size(), w.mark) << "the peer got other than what the kernel took";
        } else {
          // Windows libuv hands every write to the kernel at once; closing cancels those not finished,
          // and one that finished meanwhile still reports 0 (src/win/tcp.c, uv__tcp_close and
          // uv__process_tcp_write_req): the statuses are some 0s, then UV_ECANCELED.
          bool cancelled = false;
          for (const WriteOp& op : client.writes) {
            if (op.status == UV_ECANCELED) cancelled = true;
            EXPECT_EQ(op.status, cancelled ? UV_ECANCELED : 0) << "write " << op.index;
            if (op.status == 0) {
              EXPECT_LE(op.end, w.accepted->received.size());
            }
          }
        }
        const std::string& got = w.accepted->received;
        EXPECT_TRUE(got == Payload(0, got.size(), client.salt)) << "the peer got bytes out of order";
        EXPECT_EQ(w.accepted->eofs, 1);
        EXPECT_EQ(client.close_cbs, 1);
      });
}

TEST_P(UvStreamTest, WritesQueuedWhileConnectingCompleteInOrderOnceConnected) {
  // uv_write on a stream whose connect is in flight queues the request until the connect completes
  // (src/unix/stream.c, uv_write2). On loopback the handshake is over inside the connect call; on iocp
  // a TCP connect then completes on the pending queue, and the queued writes must be issued again from
  // there, since nothing polls that queue.
  ForEachSeed(
      [](World& w) {
        w.server = &w.NewSide("server");
        ASSERT_EQ(Listen(w, *w.server), 0);
        w.on_accept = [](World& world, Side& accepted) {
          Close(*world.server);
          accepted.on_eof = [](Side& a) { Close(a); };
          StartReading(accepted);
        };
        w.client = &w.NewSide("client");
        Connect(w, *w.client);
        for (size_t n : {10, 70000, 5}) Write(*w.client, {n});
        w.client->on_write = [](Side& c) {
          if (c.write_cb_order.size() == 3) Shutdown(c);
        };
        w.client->on_shutdown = [](Side& c) { Close(c); };
      },
      [](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        Side& client = *w.client;
        EXPECT_EQ(client.connect_status, 0);
        EXPECT_LT(At(w, "connect:client"), At(w, "write:client:0"));
        EXPECT_EQ(client.write_cb_order, (std::vector<int>{0, 1, 2}));
        for (const WriteOp& op : client.writes) {
          EXPECT_EQ(op.calls, 1) << "write " << op.index;
          EXPECT_EQ(op.status, 0) << "write " << op.index;
        }
        EXPECT_TRUE(w.accepted->received == Payload(0, client.submitted, client.salt));
        EXPECT_EQ(w.accepted->eofs, 1);
        for (const Side& side : w.sides) EXPECT_EQ(side.close_cbs, 1) << side.name;
      });
}

TEST_P(UvStreamTest, ClosingWhileConnectingCancelsTheConnectRequestFirst) {
  ForEachSeed(
      [](World& w) {
        w.server = &w.NewSide("server");
        ASSERT_EQ(Listen(w, *w.server), 0);
        // A pipe connects inside the kernel at once, so the listener may see it; an accepted end just
        // reads to the end.
        w.on_accept = [](World&, Side& accepted) {
          accepted.on_eof = [](Side& a) { Close(a); };
          StartReading(accepted);
        };
        w.client = &w.NewSide("client");
        Connect(w, *w.client);
        Close(*w.client);
        After(w, 10, [](World& later) { Close(*later.server); });
      },
      [](World& w) {
        EXPECT_EQ(w.client->connect_cbs, 1);
        EXPECT_EQ(w.client->connect_status, UV_ECANCELED);
        EXPECT_LT(At(w, "connect:client"), At(w, "close:client"));
        EXPECT_EQ(w.client->close_cbs, 1);
        for (const Side& side : w.sides) EXPECT_EQ(side.close_cbs, 1) << side.name;
      });
}

TEST_P(UvStreamTest, ConnectingToNoListenerFails) {
  // Nobody at the address: TCP is refused; a pipe path nobody bound does not exist, also on Windows
  // (ERROR_FILE_NOT_FOUND, src/win/pipe.c). A listener that closed is as good as none: a closed TCP port
  // refuses, and libuv unlinks a pipe's path when it closes the pipe (src/unix/pipe.c, uv__pipe_close).
  const int expected = Tcp() ? UV_ECONNREFUSED : UV_ENOENT;
  for (bool listened_before : {false, true}) {
    SCOPED_TRACE(listened_before ? "after the listener closed" : "nobody ever listened");
    ForEachSeed(
        [listened_before](World& w) {
          if (listened_before) {
            Side& server = w.NewSide("server");
            ASSERT_EQ(Listen(w, server), 0);
            Close(server);
          }
          w.client = &w.NewSide("client");
          w.client->on_connect = [](Side& c) { Close(c); };
          Connect(w, *w.client);
        },
        [expected](World& w) {
          EXPECT_EQ(w.connections, 0);
          EXPECT_EQ(w.client->connect_cbs, 1);
          EXPECT_EQ(w.client->connect_status, expected);
          EXPECT_EQ(w.client->close_cbs, 1);
        });
  }
}

TEST_P(UvStreamTest, ClosingTheListenerBeforeItAcceptsResetsAConnectionAlreadyMade) {
  // On loopback the handshake is over when connect() returns (on Linux, and so here): the connection
  // waits in the listener's queue, and closing the listener resets it. A connection still in its
  // handshake would be refused instead. A unix socket connects at once in any case.
  ForEachSeed(
      [](World& w) {
        w.server = &w.NewSide("server");
        ASSERT_EQ(Listen(w, *w.server), 0);
        w.client = &w.NewSide("client");
        w.client->on_connect = [](Side& c) { Close(c); };
        Connect(w, *w.client);
        Close(*w.server);  // before the loop has polled once
      },
      [](World& w) {
        EXPECT_EQ(w.connections, 0);
        EXPECT_EQ(w.client->connect_cbs, 1);
        EXPECT_EQ(w.client->connect_status, UV_ECONNRESET);
        EXPECT_EQ(w.client->close_cbs, 1);
      });
}

TEST_P(UvStreamTest, APeerWatchedWhenBytesArriveIsReadBeforeOneThatStartsReadingAfter) {
  // Client B writes, B's accepted end starts reading, then client A writes to an accepted end that was
  // already reading. On loopback the bytes reach the peer inside the write, and the peer's readiness is
  // raised there: A's end, watched already, joins epoll's ready list (kqueue's active list) at A's write;
  // B's end joins it when libuv registers it at the next poll, behind A. Windows libuv issues B's read in
  // uv_read_start, where B's bytes are already there: it succeeds at once and runs from the pending
  // queue (src/win/tcp.c, uv__tcp_queue_read; a pipe's completes through the port at once), before A's
  // completion, which waits on the port for the poll phase.
  const bool iocp = Iocp();
  ForEachSeed(
      [](World& w) {
        w.server = &w.NewSide("server");
        ASSERT_EQ(Listen(w, *w.server), 0);
        Side& a = w.NewSide("A");
        Side& b = w.NewSide("B");
        w.on_accept = [](World& world, Side& accepted) {
          // Connections are accepted in the order the clients connected: A's end first.
          accepted.on_data = [](Side& end) {
            World& wd = W(&end.s.handle);
            wd.log.push_back("data:" + end.name);
            if (++wd.mark < 2) return;
            for (Side& side : wd.sides) {
              if (side.close_cbs == 0 && !uv_is_closing(&side.s.handle)) Close(side);
            }
          };
          if (world.connections == 1) StartReading(accepted);
          if (world.connections < 2) return;
          Close(*world.server);
          After(world, 5, [](World& later) {
            Side& a_end = later.sides[3];
            Side& b_end = later.sides[4];
            WriteBytes(later.sides[2], "B");
            StartReading(b_end);
            WriteBytes(later.sides[1], "A");
            EXPECT_EQ(a_end.received, "");
          });
        };
        Connect(w, a);
        Connect(w, b);
      },
      [iocp](World& w) {
        ASSERT_EQ(w.connections, 2);
        ASSERT_EQ(w.sides.size(), 5u);
        EXPECT_EQ(w.sides[3].received, "A");
        EXPECT_EQ(w.sides[4].received, "B");
        const std::vector<std::string> expected = iocp ? std::vector<std::string>{"data:accepted2", "data:accepted"}
                                                       : std::vector<std::string>{"data:accepted", "data:accepted2"};
        std::vector<std::string> got;
        for (const std::string& e : w.log) {
          if (StartsWith(e, "data:")) got.push_back(e);
        }
        EXPECT_EQ(got, expected);
      });
}

TEST_P(UvStreamTest, CloseCallbacksRunOnceAfterEveryOtherCallbackOfTheirHandle) {
  const bool iocp = Iocp();
  ForEachSeedOnAPair(
      [](World& world) {
        Side& accepted = *world.accepted;
        StartReading(*world.client);
        StartReading(accepted);
        Write(*world.client, {10});
        // Everything is up and both ends are reading: close client, accepted end and listener.
        accepted.on_data = [](Side& a) {
          World& wd = W(&a.s.handle);
          if (a.received.size() < 10 || wd.mark != 0) return;
          wd.mark = 1;
          Close(*wd.client);
          Close(a);
          Close(*wd.server);
          wd.log.push_back("close requested");
        };
      },
      [iocp](World& w) {
        ASSERT_NE(w.accepted, nullptr);
        const size_t requested = At(w, "close requested");
        ASSERT_LT(requested, w.log.size());
        // After uv_close only the close callback (and cancelled requests) may run.
        for (size_t i = requested + 1; i < w.log.size(); ++i) {
          EXPECT_TRUE(StartsWith(w.log[i], "close:") || StartsWith(w.log[i], "write:")) << w.log[i];
        }
        std::vector<std::string> order = CloseOrder(w);
        if (!iocp) {
          // Unix libuv runs closing handles newest first, all in the next closing phase
          // (src/unix/core.c, uv__make_close_pending and uv__run_closing_handles).
          EXPECT_EQ(order, (std::vector<std::string>{"server", "accepted", "client"}));
        } else {
          // Windows libuv queues a closing TCP handle or pipe for its close callback only once its
          // overlapped requests (a posted read, pending accepts) have come back (src/win/tcp.c,
          // uv__tcp_close; src/win/handle-inl.h, uv__want_endgame), so no order between them is promised.
          std::sort(order.begin(), order.end());
          EXPECT_EQ(order, (std::vector<std::string>{"accepted", "client", "server"}));
        }
        EXPECT_EQ(w.accepted->received, Payload(0, 10, w.client->salt));
      });
}

// Every backend with a TCP connection, then with a pipe.
std::vector<StreamParam> StreamParams() {
  std::vector<StreamParam> params;
  for (const std::string& backend : testing::Backends()) {
    for (Transport transport : {Transport::kTcp, Transport::kPipe}) params.push_back({backend, transport});
  }
  return params;
}

INSTANTIATE_TEST_SUITE_P(Backends, UvStreamTest, ::testing::ValuesIn(StreamParams()), ParamName);

}  // namespace
}  // namespace loopsim
