#include "lb/net/deadline_queue.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tern::net {
namespace {

using Clock = DeadlineQueue::Clock;
using std::chrono::milliseconds;

struct Probe : DeadlineQueue::Entry {
  Probe(std::string n, std::vector<std::string>& log) : name(std::move(n)), fired(log) {}
  void on_deadline() override {
    fired.push_back(name);
    if (then) then();
  }
  std::string name;
  std::vector<std::string>& fired;
  std::function<void()> then;
};

// io.run() returns once the queue is empty: the queue never holds the loop by itself.
TEST(DeadlineQueue, FiresInDeadlineOrderAndLetsTheLoopEnd) {
  boost::asio::io_context io;
  DeadlineQueue q(io);
  std::vector<std::string> fired;
  Probe a("a", fired), b("b", fired), c("c", fired);
  auto now = Clock::now();
  q.set(c, now + milliseconds(30));
  q.set(a, now + milliseconds(10));
  q.set(b, now + milliseconds(20));
  io.run();
  EXPECT_EQ(fired, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(a.queued());
  EXPECT_EQ(a.deadline(), Clock::time_point::max());
  EXPECT_EQ(q.size(), 0u);
}

TEST(DeadlineQueue, LaterDeadlineIsHonouredNotTheFirstOne) {
  boost::asio::io_context io;
  DeadlineQueue q(io);
  std::vector<std::string> fired;
  Probe a("a", fired), b("b", fired);
  auto now = Clock::now();
  q.set(a, now + milliseconds(5));
  q.set(b, now + milliseconds(20));
  q.set(a, now + milliseconds(40));  // moved later: checked at 5 ms, fires at 40 ms
  io.run();
  EXPECT_EQ(fired, (std::vector<std::string>{"b", "a"}));
  EXPECT_GE(Clock::now(), now + milliseconds(40));
}

TEST(DeadlineQueue, EarlierDeadlineRearmsTheTimer) {
  boost::asio::io_context io;
  DeadlineQueue q(io);
  std::vector<std::string> fired;
  Probe a("a", fired), b("b", fired);
  auto start = Clock::now();
  q.set(a, start + std::chrono::hours(1));
  q.set(b, start + std::chrono::hours(1));
  q.set(b, start + milliseconds(1));
  b.then = [&] { q.set(a, Clock::now()); };
  io.run();
  EXPECT_EQ(fired, (std::vector<std::string>{"b", "a"}));
  EXPECT_LT(Clock::now(), start + std::chrono::minutes(1));
}

TEST(DeadlineQueue, RemovedAndClearedEntriesNeverFire) {
  boost::asio::io_context io;
  DeadlineQueue q(io);
  std::vector<std::string> fired;
  std::vector<std::unique_ptr<Probe>> probes;
  for (int i = 0; i < 50; ++i) probes.push_back(std::make_unique<Probe>(std::to_string(i), fired));
  auto now = Clock::now();
  for (int i = 0; i < 50; ++i) q.set(*probes[i], now + milliseconds(1 + (i * 7) % 13));
  for (int i = 0; i < 50; i += 2) q.remove(*probes[i]);
  q.set(*probes[1], Clock::time_point::max());
  io.run();
  EXPECT_EQ(fired.size(), 24u);
  for (const auto& name : fired) {
    int i = std::stoi(name);
    EXPECT_EQ(i % 2, 1);
    EXPECT_NE(i, 1);
  }
  EXPECT_EQ(q.size(), 0u);
}

}  // namespace
}  // namespace tern::net
