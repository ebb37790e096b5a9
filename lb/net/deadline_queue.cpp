#include "lb/net/deadline_queue.hpp"

namespace tern::net {

namespace asio = boost::asio;

DeadlineQueue::DeadlineQueue(asio::io_context& io) : timer_(io.get_executor()) {}

DeadlineQueue::~DeadlineQueue() {
  for (const Slot& s : heap_) s.entry->index_ = kNotQueued;
}

void DeadlineQueue::set(Entry& e, Clock::time_point deadline) {
  e.deadline_ = deadline;
  if (!e.queued()) {
    if (deadline != Clock::time_point::max()) push(e, deadline);
    return;
  }
  // A later deadline waits for the entry's current check time (lazy); an earlier one
  // moves the entry up now.
  if (deadline < heap_[e.index_].check) {
    heap_[e.index_].check = deadline;
    sift_up(e.index_);
    rearm();
  }
}

void DeadlineQueue::remove(Entry& e) {
  if (!e.queued()) return;
  erase_at(e.index_);
  if (heap_.empty()) rearm();  // an earlier head than the timer's expiry is harmless
}

void DeadlineQueue::push(Entry& e, Clock::time_point check) {
  heap_.push_back(Slot{check, &e});
  e.index_ = static_cast<uint32_t>(heap_.size() - 1);
  sift_up(e.index_);
  rearm();
}

void DeadlineQueue::erase_at(uint32_t i) {
  heap_[i].entry->index_ = kNotQueued;
  Slot last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  place(i, last);
  if (i > 0 && last.check < heap_[(i - 1) / 2].check) {
    sift_up(i);
  } else {
    sift_down(i);
  }
}

void DeadlineQueue::place(uint32_t i, const Slot& s) {
  heap_[i] = s;
  s.entry->index_ = i;
}

void DeadlineQueue::sift_up(uint32_t i) {
  Slot s = heap_[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!(s.check < heap_[parent].check)) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, s);
}

void DeadlineQueue::sift_down(uint32_t i) {
  Slot s = heap_[i];
  const auto n = static_cast<uint32_t>(heap_.size());
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1].check < heap_[child].check) ++child;
    if (!(heap_[child].check < s.check)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, s);
}

void DeadlineQueue::rearm() {
  if (heap_.empty()) {
    if (armed_ != Clock::time_point::max()) {
      armed_ = Clock::time_point::max();
      timer_.cancel();  // nothing to wait for: let the event loop run out of work
    }
    return;
  }
  const Clock::time_point first = heap_.front().check;
  if (first >= armed_) return;  // the pending wait wakes up early enough
  armed_ = first;
  timer_.expires_at(first);  // cancels the pending wait, if any
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec != asio::error::operation_aborted) on_timer();
  });
}

void DeadlineQueue::on_timer() {
  armed_ = Clock::time_point::max();
  const Clock::time_point now = Clock::now();
  while (!heap_.empty() && heap_.front().check <= now) {
    Entry& e = *heap_.front().entry;
    if (e.deadline_ <= now) {
      erase_at(0);
      e.deadline_ = Clock::time_point::max();
      e.on_deadline();  // may set or remove deadlines, this one's included
    } else if (e.deadline_ == Clock::time_point::max()) {
      erase_at(0);  // the deadline was cleared since this check was queued
    } else {
      // The deadline moved later since this check was queued: look again then.
      heap_.front().check = e.deadline_;
      sift_down(0);
    }
  }
  rearm();
}

}  // namespace tern::net
