// The target registry: which targets each target group has, merged from every source
// (spec/config.md, "Targets from outside the file, exactly"): the config file, the admin
// registration API and ECS. A target is identified by ip:port within its group; the same
// target from two sources is one target, and it leaves only when its last source lets it
// go. A target that leaves is not dropped: it is `draining` for the group's
// deregistration_delay (no new requests; in-flight ones finish), then removed — with a
// delay of 0, as soon as it has no request in flight (the caller asks the workers and
// calls finish_drain()).
//
// Every target keeps its upstream::Target object while it is a member or draining, and
// gets it back when it returns before its drain ends: health, stickiness, slow start,
// passive-ejection counts and pooled connections key on that identity. Members are listed
// in the order they first joined, so a membership change does not reshuffle the others.
//
// Pure logic: no I/O, no clock of its own (callers pass `now`), so draining timelines are
// unit-tested with made-up times. Every mutation either applies whole or, on a 4xx,
// changes nothing.
//
// Thread affinity: the control thread only. Ownership: owned by the app's membership
// service; copyable (a reload takes a copy to roll back to when a later step fails). The
// Targets are shared with snapshots and workers.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lb/upstream/target.hpp"

namespace tern::discovery {

enum Source : uint8_t { kFile = 1, kApi = 2, kEcs = 4 };

// "the config file", "the API", "ECS" (messages).
std::string_view source_display(Source source);

// "10.0.1.5:8000", "[::1]:8000": a target's id as users see it.
std::string target_id(const boost::asio::ip::tcp::endpoint& endpoint);

using Clock = std::chrono::steady_clock;

// What the config file says about one group.
struct GroupSpec {
  std::string name;
  std::vector<boost::asio::ip::tcp::endpoint> file_targets;
  std::chrono::milliseconds deregistration_delay{300000};
};

// One change to a group's targets, for the log and for the publisher.
struct Event {
  enum class Kind {
    kAdded,        // a new member (a new Target object: slow start, initial health)
    kReactivated,  // a draining target is a member again (same Target object)
    kDraining,     // no longer a member: no new requests until it is removed
    kRemoved,      // gone: drained, or its group was removed by a reload
  };
  Kind kind;
  std::string group;
  std::shared_ptr<upstream::Target> target;
  std::string why;  // "registered through the API", "removed from the config file", ...
  // kDraining: how long it drains (0 = until no request is in flight).
  std::chrono::milliseconds delay{0};
};

struct DrainingTarget {
  std::shared_ptr<upstream::Target> target;
  Clock::time_point until;  // when its remaining connections are closed and it leaves
  bool until_idle = false;  // deregistration_delay 0: leaves once no request is in flight
};

struct Outcome {
  int status = 200;   // 200, or the 4xx of a refused change (nothing changed)
  std::string error;  // why, when refused
  std::vector<Event> events;
};

class TargetRegistry {
 public:
  // Start-up and every reload: the configured groups with their file targets. Targets of
  // remaining groups that leave the file and have no other source start draining (with
  // the group's new delay); new file targets join; groups no longer configured are
  // dropped with every target they had (kRemoved events, why = "target group removed").
  std::vector<Event> configure(const std::vector<GroupSpec>& groups, Clock::time_point now);

  // Adds `source` to each target (unknown group: 404). A new target joins; a draining one
  // is a member again; one that is a member already only gains the source.
  Outcome add(std::string_view group, const std::vector<boost::asio::ip::tcp::endpoint>& targets,
              Source source, Clock::time_point now);

  // Takes `source` away from each target (unknown group: 404). A target left with no
  // source starts draining. Targets that are unknown or already draining are ignored (as
  // ALB does); a member that `source` never registered is refused whole with 409 (a file
  // target must be removed from the file).
  Outcome remove(std::string_view group, const std::vector<boost::asio::ip::tcp::endpoint>& targets,
                 Source source, Clock::time_point now);

  // Draining targets whose delay has passed (not the until_idle ones): removed and
  // returned as kRemoved events.
  std::vector<Event> expire(Clock::time_point now);
  // Removes a draining target now (until_idle, and no request in flight); false when it
  // is not draining (it came back meanwhile) or unknown.
  bool finish_drain(std::string_view group, const upstream::Target* target);

  bool has_group(std::string_view group) const;
  // The members of `group` (what workers may pick from), in the order they joined.
  std::vector<std::shared_ptr<upstream::Target>> members(std::string_view group) const;
  // The draining targets of `group`, in the order they joined.
  std::vector<DrainingTarget> draining(std::string_view group) const;
  // Every draining target of every group, with its group's name.
  std::vector<std::pair<std::string, DrainingTarget>> all_draining() const;
  // The earliest `until` of a draining target that is not until_idle.
  std::optional<Clock::time_point> next_deadline() const;
  bool any_until_idle() const;

  // The members `source` registered, by group then join order (persistence of the API's
  // registrations; draining targets are not included).
  std::vector<std::pair<std::string, boost::asio::ip::tcp::endpoint>> registered(
      Source source) const;

 private:
  struct Entry {
    std::shared_ptr<upstream::Target> target;
    uint8_t sources = 0;
    bool draining = false;
    Clock::time_point until{};
    bool until_idle = false;
    uint64_t order = 0;  // join order within the group
  };
  struct Group {
    std::chrono::milliseconds delay{300000};
    std::map<std::string, Entry, std::less<>> entries;  // by target id
    uint64_t next_order = 0;
  };

  // Adds `source` to the target at `endpoint` of `g` (joining or returning), with events.
  void join(const std::string& name, Group& g, const boost::asio::ip::tcp::endpoint& endpoint,
            Source source, std::string_view why, std::vector<Event>& events);
  // Takes `source` away; the target drains when no source is left.
  void leave(const std::string& name, Group& g, Entry& e, Source source, std::string_view why,
             Clock::time_point now, std::vector<Event>& events);
  std::vector<const Entry*> ordered(const Group& g, bool draining) const;

  std::map<std::string, Group, std::less<>> groups_;
};

}  // namespace tern::discovery
