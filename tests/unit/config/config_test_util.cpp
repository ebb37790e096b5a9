// The full example of spec/config.md and a loader that skips the "not supported yet" check.
#include <gtest/gtest.h>

#include "config/diagnostics.hpp"
#include "config/parsers.hpp"
#include "config_test_util.hpp"

namespace tern::config::testing_util {

const std::string_view kFullExample =
    R"yaml(workers: auto              # event-loop threads; auto = one per CPU core
shutdown_timeout: 30s      # SIGTERM drain budget
fleet_key_file: /etc/tern/fleet.key   # optional; 32+ random bytes shared by every tern of a
                           # fleet: stickiness cookies and TLS session tickets are derived
                           # from it (HKDF-SHA256, one label each), so any instance honours
                           # another's cookies and resumes its sessions. Absent: per process.

admin:                     # metrics and control; never on a public interface by default
  bind: 127.0.0.1:9901
  token_file: /etc/tern/admin.token   # optional; when set, mutating calls need
                                      # "Authorization: Bearer <token>"
  state_file: /var/lib/tern/targets.json   # optional; API-registered targets survive restarts

access_log:
  path: stdout             # stdout | off | a file path (reopened on SIGUSR1)
  format: json             # json | alb (ALB access-log field order)

listeners:
  - name: public           # unique; label on metrics
    bind: 0.0.0.0:80
    protocol: HTTP         # HTTP | HTTPS
    idle_timeout: 60s      # ALB idle_timeout (1..4000 s)
    # HTTPS only:
    certificates:          # first is the default; others are chosen by SNI
      - cert: /etc/tern/tls/example.crt
        key: /etc/tern/tls/example.key
    ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06   # ALB policy names; at least that one
    limits:                # defaults are ALB's; all optional
      max_request_line: 16KiB        # longer request line or URI -> 414
      max_header_bytes: 64KiB        # all request headers together -> 431
      header_timeout: 60s            # whole request head must arrive in this time -> 408
      max_body_bytes: 0              # 0 = unlimited; larger -> 413
      max_connections: 0             # 0 = unlimited; beyond it new connections are refused and counted
    xff_header_processing: append    # append | preserve | remove (ALB routing.http.xff_header_processing.mode)
    rules:                 # evaluated by ascending priority; first match wins
      - priority: 10       # 1..50000, unique within the listener
        conditions:        # all listed conditions must hold (AND); values within one are OR
          host_header: ["api.example.com", "*.api.example.com"]
          path_pattern: ["/users", "/users/*"]
          http_header: { name: X-Canary, values: ["on"] }   # or a list of such maps: all must hold
          http_request_method: [GET, HEAD]
          query_string: [{ key: version, value: "v2" }, { value: "beta" }]
          source_ip: ["10.0.0.0/8", "2001:db8::/32"]
          # host_header, path_pattern and http_header also take regular expressions
          # (RE2 syntax, as ALB's regex_values):
          #   path_pattern: { regex_values: ["^/v[0-9]+/orders/[0-9]+$"] }
        transforms:        # optional, applied after routing (ALB rule transforms)
          url_rewrite: { regex: "^/users/(.*)$", replace: "/$1" }
          host_header_rewrite: { regex: "^(.*)\\.example\\.com$", replace: "$1.internal" }
        action:
          forward:
            target_group: users            # single target group, or:
            # target_groups:               # weighted split
            #   - { name: users, weight: 90 }
            #   - { name: users-canary, weight: 10 }
            # stickiness: { enabled: true, duration: 1h }   # group-level stickiness
      - priority: 20
        conditions: { path_pattern: ["/old/*"] }
        action:
          redirect:
            protocol: "#{protocol}"        # placeholders: #{protocol} #{host} #{port} #{path} #{query}
            host: "#{host}"
            port: "#{port}"
            path: "/new/#{path}"
            query: "#{query}"
            status_code: HTTP_301          # HTTP_301 | HTTP_302
      - priority: 30
        conditions: { path_pattern: ["/maintenance"] }
        action:
          fixed_response: { status_code: 503, content_type: text/plain, message_body: "back soon" }
    default_action:        # required; same shapes as a rule's action
      forward: { target_group: app }

target_groups:
  - name: users
    targets: [10.0.1.20:8000]
  - name: users-canary
    targets: [10.0.1.21:8000]
  - name: app
    protocol: HTTP
    port: 8000                               # traffic port used when a target gives none
    load_balancing_algorithm: round_robin    # round_robin | least_outstanding_requests | weighted_random
    deregistration_delay: 300s               # draining time for removed targets (0..3600 s)
    slow_start: 0s                           # 0, or 30..900 s linear ramp for new targets
    stickiness: { enabled: false, type: lb_cookie, duration: 1d }  # lb_cookie | app_cookie (+ cookie_name)
    health_check:                            # defaults are ALB's
      enabled: true
      path: /                                # may carry ?query
      port: traffic-port                     # or a number
      interval: 30s                          # 1..300 s (ALB allows 5..300)
      timeout: 5s                            # 1..120 s (ALB: 2..120), less than interval
      healthy_threshold: 5                   # 2..10
      unhealthy_threshold: 2                 # 2..10
      matcher: "200"                         # "200", "200,202", "200-299", "200-299,302"
    targets:                                 # static targets
      - 10.0.1.17:8000
      - { address: 10.0.2.33, port: 8000 }
    ecs:                                     # dynamic targets: running tasks of one ECS service
      cluster: humangov-cluster
      service: humangov
      container_name: nginx
      container_port: 80

discovery:
  ecs:
    region: us-east-1
    poll_interval: 10s                       # ListTasks + DescribeTasks, SigV4-signed
    endpoint: https://ecs.us-east-1.amazonaws.com   # overridable (tests, VPC endpoints)
    # credentials: the standard AWS chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
    # AWS_SESSION_TOKEN, then the ECS container credentials endpoint
    # (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)
)yaml";

Config parse_ignoring_support(std::string_view yaml) {
  Diagnostics diag(kFile);
  std::vector<FeatureUse> uses;
  Context ctx{diag, uses};
  Config config = parse_config(ctx, YAML::Load(std::string(yaml)));
  validate(ctx, config);
  for (const ConfigError& error : diag.take()) ADD_FAILURE() << error.to_string();
  return config;
}

}  // namespace tern::config::testing_util
