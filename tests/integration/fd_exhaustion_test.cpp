// Running out of file descriptors on accept backs off (no busy loop) and keeps serving
// once descriptors are free again.
#include "tests/integration/harness.hpp"

namespace tern::test {
namespace {

class FdExhaustion : public TernTest {};

TEST_F(FdExhaustion, AcceptBacksOffAndRecovers) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer runtime needs descriptors of its own (UBSan's vptr check opens a pipe to
  // probe memory): in a process out of descriptors it reports false "invalid vptr" errors
  // and exits. This test is about running out of descriptors, so it runs in normal builds.
  GTEST_SKIP() << "not meaningful under sanitizers (their runtime needs free descriptors)";
#endif
  Backend b1("b1");
  TernOptions options;
  options.max_open_files = 64;
  ASSERT_NO_FATAL_FAILURE(start_tern(simple_config({b1.address()}), options));
  ASSERT_EQ(simple_get(port_, "/").status, 200);
  // More connections than tern has descriptors: the kernel completes the handshakes,
  // accept() fails with EMFILE.
  std::vector<std::unique_ptr<Client>> flood;
  for (int i = 0; i < 100; ++i) {
    auto c = Client::try_connect(port_, Millis(2000));
    if (c) flood.push_back(std::move(c));
  }
  ASSERT_GE(flood.size(), 80U);
  // tern really ran out: it holds (nearly) all the descriptors it may have.
  EXPECT_TRUE(eventually([&] { return tern_->open_fds() >= 60; }, Millis(5000)))
      << "tern holds only " << tern_->open_fds() << " descriptors; the limit is 64";
  // While exhausted, tern must not spin on the ready listener.
  const uint64_t cpu_before = tern_->cpu_ms();
  const auto start = Clock::now();
  std::this_thread::sleep_for(Millis(1000));  // a measurement window, not synchronization
  const double wall_ms = seconds_since(start) * 1000;
  const uint64_t cpu = tern_->cpu_ms() - cpu_before;
  EXPECT_LT(static_cast<double>(cpu), wall_ms * 0.5)
      << "tern used " << cpu << " ms CPU in " << wall_ms << " ms while out of descriptors";
  EXPECT_TRUE(tern_->running());
  flood.clear();
  EXPECT_TRUE(eventually(
      [&] { return simple_get(port_, "/", {}, with_timeout(Millis(2000))).status == 200; },
      Millis(10000)))
      << "tern does not serve again after descriptors were freed";
  EXPECT_TRUE(tern_->running());
}

}  // namespace
}  // namespace tern::test
