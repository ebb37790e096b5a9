// bench-backend: the target behind every proxy in `make bench`.
//
// A single-threaded epoll HTTP/1.1 keep-alive server that answers every request with the
// same small 200 response (Content-Length framed). It must never be the bottleneck: the
// proxy under test does far more work per request than this loop, so one thread on the
// load generator's core is enough.
//
// Usage: bench-backend [--port PORT] [--bind IPV4] [--dump FILE]
//   --port 0 (the default) picks a free port; the chosen one is printed on stdout as
//     "listening on ADDRESS:PORT" once the socket accepts connections.
//   --bind 127.0.0.1 (the default) is the address listened on; 0.0.0.0 lets every
//     address of 127.0.0.0/8 reach one backend (bench/churn.sh's thousands of targets).
//   --dump FILE appends the head of every request whose target starts with
//     "/bench-probe" to FILE, so the harness can show what each proxy forwarded.
//
// Threads: one. Ownership: each connection's state lives in `conns[fd]` from accept to
// close. Requests are parsed just enough to frame them (RFC 9112 section 6: a body is
// delimited by Content-Length; chunked request bodies are not supported and close the
// connection, which never happens with the benchmark's GETs).
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kBufSize = 16384, kOutSize = 16384, kMaxEvents = 256 };

static const char kBody[] = "hello from bench-backend\n";

typedef struct Conn {
  char in[kBufSize];
  size_t in_len;
  size_t body_left;  // bytes of a request body still to discard
  char out[kOutSize];
  size_t out_len;
  size_t out_off;
  int close_after;  // close once `out` is flushed
  int want_out;     // EPOLLOUT armed because a send hit EAGAIN
} Conn;

typedef struct Server {
  int epfd;
  Conn** conns;  // indexed by fd
  size_t conns_cap;
  const char* dump_path;
  char response[256];
  size_t response_len;
  time_t response_time;
} Server;

// RFC 9110 section 6.6.1: an origin server with a clock sends Date; it is formatted once
// per second, not per response.
static void refresh_response(Server* s) {
  time_t now = time(NULL);
  if (now == s->response_time) return;
  s->response_time = now;
  struct tm tm;
  gmtime_r(&now, &tm);
  char date[64];
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  int n = snprintf(s->response, sizeof s->response,
                   "HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Type: text/plain\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   date, sizeof kBody - 1, kBody);
  s->response_len = (size_t)n;
}

static void close_conn(Server* s, int fd) {
  epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  free(s->conns[fd]);
  s->conns[fd] = NULL;
}

// Case-insensitive search for header NAME at the start of a line inside HEAD; returns the
// value start or NULL.
static const char* find_header(const char* head, size_t len, const char* name) {
  size_t name_len = strlen(name);
  const char* end = head + len;
  const char* line = memchr(head, '\n', len);
  while (line != NULL && line + 1 + name_len < end) {
    line++;
    if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
      const char* v = line + name_len + 1;
      while (v < end && (*v == ' ' || *v == '\t')) v++;
      return v;
    }
    line = memchr(line, '\n', (size_t)(end - line));
  }
  return NULL;
}

static int value_has_token(const char* v, const char* end, const char* token) {
  size_t n = strlen(token);
  for (; v + n <= end && *v != '\r' && *v != '\n'; v++) {
    if (strncasecmp(v, token, n) == 0) return 1;
  }
  return 0;
}

static void dump_head(const Server* s, const char* head, size_t len) {
  FILE* f = fopen(s->dump_path, "a");
  if (f == NULL) return;
  fwrite(head, 1, len, f);
  fclose(f);
}

// Handles one complete request head of LEN bytes (terminator included) at the start of
// c->in. Returns -1 when the connection must close now.
static int handle_head(Server* s, Conn* c, size_t len) {
  const char* head = c->in;
  const char* end = head + len;
  if (s->dump_path != NULL && len > 16 &&
      memmem(head, len < 64 ? len : 64, " /bench-probe", 13) != NULL) {
    dump_head(s, head, len);
  }
  if (find_header(head, len, "transfer-encoding") != NULL) return -1;
  const char* cl = find_header(head, len, "content-length");
  if (cl != NULL) c->body_left = strtoull(cl, NULL, 10);
  const char* conn = find_header(head, len, "connection");
  int http10 = memmem(head, len, " HTTP/1.0\r", 10) != NULL;
  if (conn != NULL && value_has_token(conn, end, "close")) c->close_after = 1;
  if (http10 && (conn == NULL || !value_has_token(conn, end, "keep-alive"))) {
    c->close_after = 1;
  }
  if (c->out_len + s->response_len > kOutSize) return -1;
  memcpy(c->out + c->out_len, s->response, s->response_len);
  c->out_len += s->response_len;
  return 0;
}

// Writes what is pending; returns -1 when the connection must close, else 0. EPOLLOUT is
// armed only while a send is blocked.
static int flush_out(Server* s, int fd, Conn* c) {
  while (c->out_off < c->out_len) {
    ssize_t n = send(fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (n > 0) {
      c->out_off += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c->want_out) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = fd};
        epoll_ctl(s->epfd, EPOLL_CTL_MOD, fd, &ev);
        c->want_out = 1;
      }
      return 0;
    } else {
      return -1;
    }
  }
  if (c->want_out) {
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(s->epfd, EPOLL_CTL_MOD, fd, &ev);
    c->want_out = 0;
  }
  c->out_len = c->out_off = 0;
  return c->close_after ? -1 : 0;
}

// Consumes whole requests from c->in (bodies discarded) and queues one response each.
static int parse_input(Server* s, Conn* c) {
  size_t off = 0;
  for (;;) {
    if (c->body_left > 0) {
      size_t take = c->in_len - off < c->body_left ? c->in_len - off : c->body_left;
      off += take;
      c->body_left -= take;
      if (c->body_left > 0) break;
    }
    const char* p = memmem(c->in + off, c->in_len - off, "\r\n\r\n", 4);
    if (p == NULL) break;
    size_t len = (size_t)(p + 4 - (c->in + off));
    if (off > 0) memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    off = 0;
    if (handle_head(s, c, len) < 0) return -1;
    off = len;
    if (c->close_after) break;
  }
  if (off > 0) {
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
  }
  return c->in_len == kBufSize ? -1 : 0;  // a head larger than the buffer: give up
}

static void on_readable(Server* s, int fd) {
  Conn* c = s->conns[fd];
  ssize_t n = recv(fd, c->in + c->in_len, kBufSize - c->in_len, 0);
  if (n <= 0) {
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    close_conn(s, fd);
    return;
  }
  c->in_len += (size_t)n;
  refresh_response(s);
  if (parse_input(s, c) < 0 || flush_out(s, fd, c) < 0) close_conn(s, fd);
}

static void on_accept(Server* s, int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or EMFILE: try again on the next event
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if ((size_t)fd >= s->conns_cap) {
      size_t cap = (size_t)fd * 2 + 64;
      Conn** grown = realloc(s->conns, cap * sizeof *grown);
      if (grown == NULL) {
        close(fd);
        continue;
      }
      memset(grown + s->conns_cap, 0, (cap - s->conns_cap) * sizeof *grown);
      s->conns = grown;
      s->conns_cap = cap;
    }
    s->conns[fd] = calloc(1, sizeof(Conn));
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (s->conns[fd] == NULL || epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
      free(s->conns[fd]);
      s->conns[fd] = NULL;
      close(fd);
    }
  }
}

static int listen_on(const char* address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, address, &addr.sin_addr) != 1) {
    fprintf(stderr, "bench-backend: --bind %s is not an IPv4 address\n", address);
    exit(2);
  }
  if (bind(fd, (struct sockaddr*)&addr, sizeof addr) < 0 || listen(fd, 4096) < 0) {
    perror("bench-backend: bind/listen");
    exit(1);
  }
  socklen_t len = sizeof addr;
  getsockname(fd, (struct sockaddr*)&addr, &len);
  printf("listening on %s:%d\n", address, ntohs(addr.sin_port));
  fflush(stdout);
  return fd;
}

int main(int argc, char** argv) {
  int port = 0;
  const char* address = "127.0.0.1";
  Server s = {0};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--port") == 0) {
      port = atoi(argv[i + 1]);
    } else if (strcmp(argv[i], "--bind") == 0) {
      address = argv[i + 1];
    } else if (strcmp(argv[i], "--dump") == 0) {
      s.dump_path = argv[i + 1];
    } else {
      fprintf(stderr, "usage: bench-backend [--port PORT] [--bind IPV4] [--dump FILE]\n");
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  refresh_response(&s);
  s.epfd = epoll_create1(EPOLL_CLOEXEC);
  int lfd = listen_on(address, port);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
  epoll_ctl(s.epfd, EPOLL_CTL_ADD, lfd, &ev);
  struct epoll_event events[kMaxEvents];
  for (;;) {
    int n = epoll_wait(s.epfd, events, kMaxEvents, -1);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        on_accept(&s, lfd);
      } else if (s.conns[fd] != NULL) {
        Conn* c = s.conns[fd];
        if ((events[i].events & EPOLLOUT) && c->out_off < c->out_len) {
          if (flush_out(&s, fd, c) < 0) close_conn(&s, fd);
        } else if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
          on_readable(&s, fd);
        }
      }
    }
  }
}
