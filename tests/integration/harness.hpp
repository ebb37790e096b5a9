// Shared fixture of the end-to-end tests: starts the real tern on a config and waits
// until it is ready, prints tern's log when a test fails, and samples its RSS.
//
// Thread affinity: the gtest thread (RssSampler has one sampling thread of its own).
// Ownership: the fixture owns the TernProcess; tests own their Backends and Clients.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/backend.hpp"
#include "tests/support/client.hpp"
#include "tests/support/config_text.hpp"
#include "tests/support/pattern.hpp"
#include "tests/support/sha256.hpp"
#include "tests/support/tern_process.hpp"
#include "tests/support/wait.hpp"

namespace tern::test {

// Under AddressSanitizer freed memory sits in a quarantine (256 MiB by default), so RSS
// says nothing about buffering: the RSS bounds are checked in normal builds only.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kRssIsMeaningful = false;
#else
inline constexpr bool kRssIsMeaningful = true;
#endif

// RSS bound of a streaming transfer: "must not grow its RSS by more than a few MiB".
inline void expect_rss_bound(uint64_t baseline_kib, uint64_t max_kib, uint64_t growth_kib) {
  std::cout << "[ rss      ] baseline " << baseline_kib << " KiB, max during transfer " << max_kib
            << " KiB\n";
  if (!kRssIsMeaningful) return;
  EXPECT_LE(max_kib, baseline_kib + growth_kib)
      << "RSS grew from " << baseline_kib << " KiB to " << max_kib << " KiB";
}

class TernTest : public ::testing::Test {
 protected:
  // Starts tern and waits for `ready`; port_ is the port of `listener` (when not empty).
  void start_tern(const std::string& yaml, TernOptions options = {},
                  const std::string& listener = "http") {
    tern_ = std::make_unique<TernProcess>(yaml, std::move(options));
    ASSERT_TRUE(tern_->wait_ready(Millis(15000))) << "tern did not become ready\nconfig:\n"
                                                  << yaml << "log:\n"
                                                  << tern_->log();
    if (!listener.empty()) {
      port_ = tern_->port(listener, Millis(2000));
      ASSERT_NE(port_, 0) << "no `listener \"" << listener << "\" listening on` line\n"
                          << tern_->log();
    }
  }

  void TearDown() override {
    if (HasFailure() && tern_) {
      std::cerr << "----- tern log (pid " << tern_->pid() << ") -----\n"
                << tern_->log() << "----- end of tern log -----\n";
    }
  }

  std::unique_ptr<TernProcess> tern_;
  uint16_t port_ = 0;
};

// Largest VmRSS of a process seen while it lives (a measurement, not synchronization).
class RssSampler {
 public:
  explicit RssSampler(const TernProcess& process) : process_(process) {
    thread_ = std::thread([this] {
      while (!stop_) {
        max_kib_ = std::max<uint64_t>(max_kib_, process_.rss_kib());
        std::this_thread::sleep_for(Millis(10));
      }
    });
  }
  ~RssSampler() { stop(); }
  uint64_t stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return max_kib_;
  }

 private:
  const TernProcess& process_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> max_kib_{0};
  std::thread thread_;
};

inline ReadOptions hash_only(Millis timeout = Millis(60000)) {
  ReadOptions o;
  o.store_body = false;
  o.timeout = timeout;
  return o;
}

inline ReadOptions with_timeout(Millis timeout) {
  ReadOptions o;
  o.timeout = timeout;
  return o;
}

inline ReadOptions head_request() {
  ReadOptions o;
  o.head = true;
  return o;
}

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace tern::test
