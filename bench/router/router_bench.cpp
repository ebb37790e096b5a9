// Routing cost per request with 1, 100 and 10,000 rules, for the shapes ALB users write:
// one rule per service by exact host, by path prefix ("/svcN/*"), by exact path, and a
// mixed listener (host + path, wildcard hosts, header and method conditions, regexes).
// Each iteration routes one request from a pool of 1,024 prepared requests that hit rules
// spread over the whole set (and a share that matches no rule), so neither the branch
// predictor nor the cache sees the same request twice in a row.
//
//   BM_Match        CompiledRules::match (the indexed lookup the proxy uses)
//   BM_Compile      CompiledRules::compile of the whole listener (cost of a reload)
//   BM_MatchLinear  CompiledRules::match_linear (every rule in order), for comparison
//   BM_Prepare      prepare_request: path and host normalization of one request head
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lb/router/compiled_rules.hpp"

namespace tern::router {
namespace {

// kHostValues is the no-quota case for values: ONE rule whose host_header lists `count`
// exact hosts (ALB allows 5 values per condition), plus a catch-all path rule.
enum Shape : int64_t { kExactHost, kPathPrefix, kExactPath, kMixed, kHostValues };

config::Action forward(const std::string& group) {
  config::Action a;
  a.forward.target_groups.push_back({group, 1, {}});
  return a;
}

config::Rule make_rule(Shape shape, int i) {
  config::Rule r;
  r.priority = i + 1;
  r.action = forward("g" + std::to_string(i));
  const std::string n = std::to_string(i);
  auto& c = r.conditions;
  switch (shape) {
    case kExactHost:
      c.host_header = config::MatchValues{{"svc" + n + ".example.com"}, {}, {}};
      break;
    case kPathPrefix:
      c.path_pattern = config::MatchValues{{"/svc" + n + "/*"}, {}, {}};
      break;
    case kExactPath:
      c.path_pattern = config::MatchValues{{"/svc" + n + "/health", "/svc" + n}, {}, {}};
      break;
    case kHostValues:  // built by make_rules
      break;
    case kMixed:
      switch (i % 5) {
        case 0:  // host + path prefix
          c.host_header = config::MatchValues{{"api" + n + ".example.com"}, {}, {}};
          c.path_pattern = config::MatchValues{{"/v1/*", "/v2/*"}, {}, {}};
          break;
        case 1:  // wildcard host
          c.host_header = config::MatchValues{{"*.tenant" + n + ".example.com"}, {}, {}};
          break;
        case 2:  // path + method
          c.path_pattern = config::MatchValues{{"/svc" + n + "/*"}, {}, {}};
          c.http_request_method = {"GET", "HEAD"};
          break;
        case 3:  // path + canary header
          c.path_pattern = config::MatchValues{{"/svc" + n + "/*"}, {}, {}};
          c.http_header = {{"X-Canary", config::MatchValues{{"on"}, {}, {}}}};
          break;
        case 4:  // path regex (indexed by nothing: a few of these per listener)
          if (i % 1000 == 4) {
            c.path_pattern = config::MatchValues{{}, {"^/legacy" + n + "/[0-9]+$"}, {}};
          } else {
            c.path_pattern = config::MatchValues{{"/files" + n + "/*.jpg"}, {}, {}};
          }
          break;
      }
      break;
  }
  return r;
}

struct PreparedRequest {
  std::string target;
  std::string host;
  std::string headers_text;
  std::vector<http::HeaderField> headers;
  RequestScratch scratch;
  Request request;
};

std::string request_target(Shape shape, int i, bool hit) {
  const std::string n = std::to_string(i);
  if (!hit) return "/nothing/here/" + n + "?a=1";
  switch (shape) {
    case kHostValues:
    case kExactHost:
      return "/api/users/" + n + "?page=2";
    case kPathPrefix:
      return "/svc" + n + "/items/42?page=2";
    case kExactPath:
      return "/svc" + n + "/health";
    case kMixed:
      switch (i % 5) {
        case 0:
          return "/v2/orders/" + n;
        case 1:
          return "/dashboard";
        case 2:
        case 3:
          return "/svc" + n + "/items/42";
        default:
          return i % 1000 == 4 ? "/legacy" + n + "/17" : "/files" + n + "/a/b.jpg";
      }
  }
  return "/";
}

std::string request_host(Shape shape, int i, bool hit) {
  const std::string n = std::to_string(i);
  if (!hit) return "unknown.example.org";
  if (shape == kExactHost || shape == kHostValues) return "svc" + n + ".example.com:8080";
  if (shape == kMixed && i % 5 == 0) return "api" + n + ".example.com";
  if (shape == kMixed && i % 5 == 1) return "eu.tenant" + n + ".example.com";
  return "www.example.com";
}

std::vector<std::unique_ptr<PreparedRequest>> make_requests(Shape shape, int rules) {
  std::mt19937 rng(42);
  std::vector<std::unique_ptr<PreparedRequest>> pool;
  for (int k = 0; k < 1024; ++k) {
    const int i = std::uniform_int_distribution<int>(0, rules - 1)(rng);
    const bool hit = std::uniform_int_distribution<int>(0, 9)(rng) != 0;  // 10 % miss
    auto p = std::make_unique<PreparedRequest>();
    p->target = request_target(shape, i, hit);
    p->host = request_host(shape, i, hit);
    const bool canary = shape == kMixed && i % 5 == 3;
    p->headers_text = std::string("Host") + p->host + "User-Agentbench/1.0" +
                      (canary ? "X-Canaryon" : "Acceptx/y");
    const auto field = [&](uint32_t name_off, uint32_t name_len, uint32_t value_len) {
      return http::HeaderField{{name_off, name_len}, {name_off + name_len, value_len}};
    };
    const auto host_len = static_cast<uint32_t>(p->host.size());
    p->headers.push_back(field(0, 4, host_len));
    p->headers.push_back(field(4 + host_len, 10, 9));
    p->headers.push_back(canary ? field(23 + host_len, 8, 2) : field(23 + host_len, 6, 3));
    const ConnectionInfo connection{IpAddress::v4({10, 0, 0, 1}), 80, false};
    if (prepare_request("GET", p->target, p->host, p->headers, p->headers_text.data(), connection,
                        p->scratch, p->request) != PrepareStatus::kOk) {
      std::abort();
    }
    pool.push_back(std::move(p));
  }
  return pool;
}

std::vector<config::Rule> make_config(Shape shape, int count) {
  std::vector<config::Rule> rules;
  if (shape == kHostValues) {
    config::Rule hosts;
    hosts.priority = 1;
    hosts.action = forward("hosts");
    hosts.conditions.host_header.emplace();
    for (int i = 0; i < count; ++i) {
      hosts.conditions.host_header->values.push_back("svc" + std::to_string(i) + ".example.com");
    }
    config::Rule nothing;
    nothing.priority = 2;
    nothing.action = forward("nothing");
    nothing.conditions.path_pattern = config::MatchValues{{"/nothing/*"}, {}, {}};
    return {hosts, nothing};
  }
  for (int i = 0; i < count; ++i) rules.push_back(make_rule(shape, i));
  return rules;
}

std::shared_ptr<const CompiledRules> make_rules(Shape shape, int count) {
  const std::vector<config::Rule> rules = make_config(shape, count);
  auto compiled = CompiledRules::compile(rules, forward("default"));
  if (!compiled.errors.empty()) std::abort();
  return compiled.rules;
}

template <bool kLinear>
void route(benchmark::State& state) {
  const auto shape = static_cast<Shape>(state.range(0));
  const auto count = static_cast<int>(state.range(1));
  const auto rules = make_rules(shape, count);
  const auto pool = make_requests(shape, count);
  size_t k = 0;
  size_t defaults = 0;
  for (auto _ : state) {
    const Request& request = pool[k++ & 1023]->request;
    const Route& r = kLinear ? rules->match_linear(request) : rules->match(request);
    defaults += r.is_default ? 1 : 0;
    benchmark::DoNotOptimize(&r);
  }
  state.counters["default_share"] =
      static_cast<double>(defaults) / static_cast<double>(state.iterations());
  static const char* const kNames[] = {"exact_host", "path_prefix", "exact_path", "mixed",
                                       "host_values"};
  state.SetLabel(kNames[shape]);
}

void BM_Match(benchmark::State& state) {
  route<false>(state);
}
void BM_MatchLinear(benchmark::State& state) {
  route<true>(state);
}

void shapes(benchmark::internal::Benchmark* b) {
  for (int64_t shape : {kExactHost, kPathPrefix, kExactPath, kMixed, kHostValues}) {
    for (int64_t count : {1, 100, 10000}) b->Args({shape, count});
  }
}

BENCHMARK(BM_Match)->Apply(shapes);
BENCHMARK(BM_MatchLinear)->Apply(shapes);

void BM_Compile(benchmark::State& state) {
  const auto count = static_cast<int>(state.range(0));
  const std::vector<config::Rule> rules = make_config(kMixed, count);
  for (auto _ : state) {
    auto compiled = CompiledRules::compile(rules, forward("default"));
    benchmark::DoNotOptimize(compiled.rules.get());
  }
  state.SetLabel("mixed");
}
BENCHMARK(BM_Compile)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

// Arg 0: a plain path (the common case); arg 1: escapes and a dot segment to remove.
void BM_Prepare(benchmark::State& state) {
  const std::string target = state.range(0) == 0
                                 ? "/api/v2/users/john/orders?page=2&sort=desc"
                                 : "/api/v1/../v2/users/%7Ejohn/orders?page=2&sort=desc";
  const std::string host = "API.Example.com:8080";
  const ConnectionInfo connection{IpAddress::v4({10, 0, 0, 1}), 80, false};
  RequestScratch scratch;
  Request request;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        prepare_request("GET", target, host, {}, nullptr, connection, scratch, request));
    benchmark::DoNotOptimize(request.path.data());
  }
}
BENCHMARK(BM_Prepare)->Arg(0)->Arg(1);

}  // namespace
}  // namespace tern::router

BENCHMARK_MAIN();
