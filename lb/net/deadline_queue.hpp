// Deadlines of many objects on one timer per worker: a binary min-heap of entries keyed by
// the time each one is next checked, and one steady_timer armed for the earliest. Replaces
// a steady_timer per connection (the timer object, its pending wait operation and its
// slot in Asio's timer heap, ~300 bytes per idle connection) with an entry embedded in the
// owner (24 bytes) and a 16-byte heap slot.
//
// Moving a deadline later costs nothing: the entry keeps its earlier check time, and when
// that time comes it is re-queued at its current deadline (the same lazy re-arming that
// Asio's timeout_watchdog example does with one timer per connection). Moving it earlier
// sifts the entry up, and re-arms the timer only when it becomes the earliest. Expiry is
// exact (no coarse ticks): an entry fires at its deadline, as a per-connection timer did.
//
// Thread affinity: one worker; everything runs on its io_context thread. Ownership: owned
// by the WorkerContext; entries are members of their owners, which must remove() them
// before they are destroyed. The timer is cancelled whenever the queue is empty, so an
// empty queue never keeps the event loop running.
#pragma once

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <vector>

namespace tern::net {

class DeadlineQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // Embedded in an object with a deadline; on_deadline() runs on the worker thread when it
  // passes (the entry is then no longer queued and its deadline is reset to "never").
  class Entry {
   public:
    Entry() = default;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    Clock::time_point deadline() const { return deadline_; }
    bool queued() const { return index_ != kNotQueued; }

   protected:
    virtual ~Entry() = default;

   private:
    friend class DeadlineQueue;
    virtual void on_deadline() = 0;

    Clock::time_point deadline_ = Clock::time_point::max();
    uint32_t index_ = kNotQueued;
  };

  explicit DeadlineQueue(boost::asio::io_context& io);
  ~DeadlineQueue();
  DeadlineQueue(const DeadlineQueue&) = delete;
  DeadlineQueue& operator=(const DeadlineQueue&) = delete;

  // Sets the deadline of `e` (time_point::max() = none).
  void set(Entry& e, Clock::time_point deadline);

  // Takes `e` out of the queue (its owner closes or is destroyed).
  void remove(Entry& e);

  size_t size() const { return heap_.size(); }

 private:
  static constexpr uint32_t kNotQueued = UINT32_MAX;
  using Timer = boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>,
                                                  boost::asio::io_context::executor_type>;

  struct Slot {
    Clock::time_point check;  // when the entry is looked at next (<= its deadline)
    Entry* entry;
  };

  void push(Entry& e, Clock::time_point check);
  void erase_at(uint32_t i);
  void sift_up(uint32_t i);
  void sift_down(uint32_t i);
  void place(uint32_t i, const Slot& s);
  void rearm();
  void on_timer();

  std::vector<Slot> heap_;
  Timer timer_;
  Clock::time_point armed_ = Clock::time_point::max();  // expiry of the pending wait
};

}  // namespace tern::net
