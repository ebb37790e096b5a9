// bench-client: the two load shapes of `make bench` that wrk cannot make.
//
//   bench-client idle HOST PORT N [BATCH]
//     Opens N keep-alive connections (at most BATCH connecting or waiting at once), sends
//     one GET on each and reads its response, then keeps all of them open. Prints
//     "ready ok=K failed=F seconds=S" when every connection is settled, then waits for EOF
//     on stdin, and before exiting prints "still_open=K" (connections the proxy did not
//     close meanwhile). Used for the memory-per-idle-connection figure.
//
//   bench-client load HOST PORT CONNS REQUESTS
//     Closed loop: CONNS keep-alive connections send REQUESTS GETs in total, one at a
//     time per connection, and exit with "requests=R errors=E seconds=S". A failed
//     connection is counted, reopened and its request sent again. Used as the fixed
//     request count under callgrind.
//
// Only 2xx responses framed by Content-Length count as success (the benchmark backend
// always sends one). Threads: one; each connection's state lives in `clients[i]`.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kBufSize = 4096, kMaxEvents = 512, kTimeoutSeconds = 120 };
enum State { kUnused, kConnecting, kReading, kIdle, kFailed };

typedef struct Client {
  int fd;
  enum State state;
  size_t len;
  char buf[kBufSize];
} Client;

typedef struct Run {
  int epfd;
  struct sockaddr_in addr;
  char request[256];
  size_t request_len;
  int idle_mode;
  long sent;      // load mode: requests handed to a connection
  long target;    // load mode: REQUESTS; idle mode: N
  long ok;        // completed 2xx responses
  long errors;    // failed connections or bad responses
  long started;   // idle mode: connections opened
  long inflight;  // idle mode: connections not yet settled
  Client* clients;
} Run;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_client(Run* r, long i) {
  Client* c = &r->clients[i];
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) return -1;
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (struct sockaddr*)&r->addr, sizeof r->addr) < 0 && errno != EINPROGRESS) {
    close(c->fd);
    return -1;
  }
  c->state = kConnecting;
  c->len = 0;
  struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t)i};
  return epoll_ctl(r->epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static int send_request(Run* r, Client* c) {
  ssize_t n = send(c->fd, r->request, r->request_len, MSG_NOSIGNAL);
  c->len = 0;
  return n == (ssize_t)r->request_len ? 0 : -1;  // a 40-byte write never blocks
}

// Returns 1 when a whole response is in c->buf, 0 when more is needed, -1 when it is bad
// (not 2xx, or not framed by Content-Length).
static int parse_response(const Client* c) {
  const char* end = memmem(c->buf, c->len, "\r\n\r\n", 4);
  if (end == NULL) return c->len == kBufSize ? -1 : 0;
  if (c->len < 12 || strncmp(c->buf, "HTTP/1.", 7) != 0 || c->buf[9] != '2') return -1;
  size_t head = (size_t)(end + 4 - c->buf);
  const char* line = c->buf;
  while ((line = memchr(line, '\n', head - (size_t)(line - c->buf))) != NULL) {
    line++;
    if (strncasecmp(line, "content-length:", 15) == 0) {
      size_t body = strtoul(line + 15, NULL, 10);
      if (c->len > head + body) return -1;  // bytes nobody asked for
      return c->len == head + body ? 1 : 0;
    }
  }
  return -1;
}

static void fail_client(Run* r, long i) {
  Client* c = &r->clients[i];
  epoll_ctl(r->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->state = kFailed;
  r->errors++;
}

// The next step for client I after a complete response or a failure.
static void advance(Run* r, long i, int failed) {
  Client* c = &r->clients[i];
  if (r->idle_mode) {
    if (failed) {
      fail_client(r, i);
    } else {
      epoll_ctl(r->epfd, EPOLL_CTL_DEL, c->fd, NULL);
      c->state = kIdle;
      r->ok++;
    }
    r->inflight--;
    return;
  }
  if (failed) {
    fail_client(r, i);
    r->sent--;  // sent again on the reopened connection
    if (r->sent < r->target && open_client(r, i) == 0) r->sent++;
    return;
  }
  r->ok++;
  if (r->sent < r->target) {
    r->sent++;
    if (send_request(r, c) < 0) advance(r, i, 1);
  }
}

static void on_event(Run* r, long i, uint32_t events) {
  Client* c = &r->clients[i];
  if (c->state == kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
    if (err != 0 || epoll_ctl(r->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0 || send_request(r, c) < 0) {
      advance(r, i, 1);
      return;
    }
    c->state = kReading;
    return;
  }
  if (c->state != kReading || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
  ssize_t n = recv(c->fd, c->buf + c->len, kBufSize - c->len, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    advance(r, i, 1);
    return;
  }
  c->len += (size_t)n;
  int done = parse_response(c);
  if (done != 0) advance(r, i, done < 0);
}

static int finished(const Run* r) {
  if (r->idle_mode) return r->started == r->target && r->inflight == 0;
  return r->ok >= r->target || r->errors > r->target;
}

static int drive(Run* r, long batch) {
  struct epoll_event events[kMaxEvents];
  double deadline = now_seconds() + kTimeoutSeconds;
  while (!finished(r)) {
    while (r->idle_mode && r->started < r->target && r->inflight < batch) {
      long i = r->started++;
      r->inflight++;
      if (open_client(r, i) < 0) advance(r, i, 1);
    }
    int n = epoll_wait(r->epfd, events, kMaxEvents, 1000);
    for (int k = 0; k < n; k++) on_event(r, (long)events[k].data.u64, events[k].events);
    if (now_seconds() > deadline) {
      fprintf(stderr, "bench-client: timed out after %d s\n", kTimeoutSeconds);
      return -1;
    }
  }
  return 0;
}

static long count_still_open(const Run* r) {
  long open = 0;
  for (long i = 0; i < r->target; i++) {
    if (r->clients[i].state != kIdle) continue;
    struct pollfd p = {.fd = r->clients[i].fd, .events = POLLIN | POLLRDHUP};
    if (poll(&p, 1, 0) == 0) open++;  // nothing readable and no hang-up: still open
  }
  return open;
}

static int usage(void) {
  fprintf(stderr,
          "usage: bench-client idle HOST PORT N [BATCH]\n"
          "       bench-client load HOST PORT CONNS REQUESTS\n");
  return 2;
}

int main(int argc, char** argv) {
  if (argc < 5) return usage();
  Run r = {0};
  r.idle_mode = strcmp(argv[1], "idle") == 0;
  if (!r.idle_mode && (strcmp(argv[1], "load") != 0 || argc < 6)) return usage();
  r.addr.sin_family = AF_INET;
  r.addr.sin_port = htons((uint16_t)atoi(argv[3]));
  if (inet_pton(AF_INET, argv[2], &r.addr.sin_addr) != 1) return usage();
  r.request_len = (size_t)snprintf(r.request, sizeof r.request,
                                   "GET / HTTP/1.1\r\nHost: %s:%s\r\n\r\n", argv[2], argv[3]);
  signal(SIGPIPE, SIG_IGN);
  r.epfd = epoll_create1(EPOLL_CLOEXEC);
  long conns = atol(argv[4]);
  long batch = argc > 5 ? atol(argv[5]) : 200;
  r.target = r.idle_mode ? conns : atol(argv[5]);
  if (conns <= 0 || r.target <= 0 || batch <= 0) return usage();
  r.clients = calloc((size_t)conns, sizeof(Client));
  if (r.clients == NULL) return 1;
  double start = now_seconds();
  if (!r.idle_mode) {
    for (long i = 0; i < conns && r.sent < r.target; i++) {
      if (open_client(&r, i) < 0) {
        r.errors++;
        continue;
      }
      r.sent++;
    }
  }
  int rc = drive(&r, batch);
  double seconds = now_seconds() - start;
  if (!r.idle_mode) {
    printf("requests=%ld errors=%ld seconds=%.3f\n", r.ok, r.errors, seconds);
    return rc == 0 && r.ok >= r.target ? 0 : 1;
  }
  printf("ready ok=%ld failed=%ld seconds=%.3f\n", r.ok, r.errors, seconds);
  fflush(stdout);
  char sink[256];
  while (read(0, sink, sizeof sink) > 0) {
  }
  printf("still_open=%ld\n", count_still_open(&r));
  return rc == 0 && r.errors == 0 ? 0 : 1;
}
