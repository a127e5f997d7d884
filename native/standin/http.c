/*
 * A minimal HTTP/1.1 client over POSIX sockets: one POST, `Connection: close`, a deadline for the
 * whole exchange. The stand-in must build with plain cc and libc, so no libcurl and no OpenSSL; the
 * sandbox speaks plain http only (docs/standin-sdk.md).
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define MAX_HEADER_BYTES (64 * 1024)
#define MAX_BODY_BYTES (64 * 1024 * 1024)
#define DEFAULT_TIMEOUT_SEC 30

typedef struct {
  char host[256];      /* for getaddrinfo: no brackets */
  char host_hdr[264];  /* for the Host header: as written */
  char port[8];
  char prefix[512];    /* path prefix of the base URL, without a trailing slash */
} base_url;

/* Only http://host[:port][/prefix] is supported; anything else makes every call a network error. */
static int parse_base(const char *s, base_url *u) {
  memset(u, 0, sizeof *u);
  if (!s || strncmp(s, "http://", 7) != 0) return -1;
  const char *start = s + 7, *host, *host_end;
  if (*start == '[') {
    host = start + 1;
    host_end = strchr(host, ']');
    if (!host_end) return -1;
    s = host_end + 1;
  } else {
    host = start;
    host_end = s = start + strcspn(start, ":/?#");
  }
  size_t hl = (size_t)(host_end - host), hh = (size_t)(s - start);
  if (hl == 0 || hl >= sizeof u->host || hh >= sizeof u->host_hdr) return -1;
  memcpy(u->host, host, hl);
  memcpy(u->host_hdr, start, hh);
  strcpy(u->port, "80");
  if (*s == ':') {
    size_t pl = strspn(++s, "0123456789");
    if (pl == 0 || pl > 5 || atoi(s) < 1 || atoi(s) > 65535) return -1;
    memcpy(u->port, s, pl);
    u->port[pl] = '\0';
    s += pl;
  }
  if (*s && *s != '/') return -1;
  size_t rl = strlen(s);
  if (strpbrk(s, "?# ") || rl >= sizeof u->prefix) return -1;
  memcpy(u->prefix, s, rl);
  while (rl > 0 && u->prefix[rl - 1] == '/') u->prefix[--rl] = '\0';
  return 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return 0;
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return -1;
  }
}

static int connect_to(const base_url *u, long long deadline) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(u->host, u->port, &hints, &res) != 0) return -1;
  int fd = -1;
  for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    int err = 0;
    socklen_t len = sizeof err;
    if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == 1 &&
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
      break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

static int send_all(int fd, const char *p, size_t n, long long deadline) {
  while (n > 0) {
    /* MSG_NOSIGNAL: a peer that went away must be an error code, not a SIGPIPE killing the host. */
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
    } else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (wait_fd(fd, POLLOUT, deadline) != 1) return -1;
    } else {
      return -1;
    }
  }
  return 0;
}

/* Reads more bytes into b: >0 read, 0 EOF, -1 error or timeout. */
static ssize_t read_some(int fd, sbuf *b, long long deadline) {
  char chunk[16384];
  for (;;) {
    ssize_t r = recv(fd, chunk, sizeof chunk, 0);
    if (r > 0) {
      sb_put(b, chunk, (size_t)r);
      return b->failed ? -1 : r;
    }
    if (r == 0) return 0;
    if (errno != EAGAIN && errno != EINTR) return -1;
    if (wait_fd(fd, POLLIN, deadline) != 1) return -1;
  }
}

static char *dup_range(const char *p, size_t n) {
  char *s = malloc(n + 1);
  if (!s) return NULL;
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

static int header_is(const char *line, size_t name_len, const char *name) {
  return strlen(name) == name_len && strncasecmp(line, name, name_len) == 0;
}

/* Parses the status line and headers in [head, head+len); fills status, the X-* fields and framing. */
static int parse_head(const char *head, size_t len, http_response *r, long long *content_length, int *chunked) {
  if (len < 12 || strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ') return -1;
  for (int i = 9; i < 12; i++)
    if (head[i] < '0' || head[i] > '9') return -1;
  r->status = atoi(head + 9);
  *content_length = -1;
  *chunked = 0;
  const char *line = memchr(head, '\n', len);
  const char *end = head + len;
  while (line && ++line < end) {
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol) eol = end;
    const char *colon = memchr(line, ':', (size_t)(eol - line));
    if (colon) {
      const char *v = colon + 1, *ve = eol;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      size_t nl = (size_t)(colon - line), vl = (size_t)(ve - v);
      char **slot = header_is(line, nl, "x-standin-fault") ? &r->fault
                    : header_is(line, nl, "x-standin-rc") ? &r->rc
                    : header_is(line, nl, "x-outindexbuf") ? &r->outindex
                    : header_is(line, nl, "x-is-finish") ? &r->finish
                    : NULL;
      if (slot) {
        free(*slot);
        if (!(*slot = dup_range(v, vl))) return -1;
      } else if (header_is(line, nl, "content-length")) {
        char *stop;
        char *num = dup_range(v, vl);
        if (!num) return -1;
        long long n = strtoll(num, &stop, 10);
        int bad = vl == 0 || *stop != '\0' || n < 0;
        free(num);
        if (bad) return -1;
        *content_length = n;
      } else if (header_is(line, nl, "transfer-encoding")) {
        *chunked = vl >= 7 && strncasecmp(ve - 7, "chunked", 7) == 0;
      }
    }
    line = eol;
  }
  return 0;
}

/* Decodes a complete chunked body in place; -1 if it is malformed or truncated. */
static long long dechunk(char *p, size_t n) {
  size_t in = 0, out = 0;
  for (;;) {
    char *stop;
    if (in >= n) return -1;
    unsigned long long size = strtoull(p + in, &stop, 16);
    if (stop == p + in) return -1;
    char *eol = memchr(stop, '\n', n - (size_t)(stop - p));
    if (!eol) return -1;
    in = (size_t)(eol - p) + 1;
    if (size == 0) return (long long)out;
    if (size > n - in) return -1;
    memmove(p + out, p + in, size);
    out += size;
    in += size;
    if (in < n && p[in] == '\r') in++;
    if (in >= n || p[in] != '\n') return -1;
    in++;
  }
}

static int exchange(int fd, const base_url *u, const char *path, const char *body, size_t body_len,
                    long long deadline, http_response *out) {
  sbuf req = {0};
  char len_text[32];
  snprintf(len_text, sizeof len_text, "%zu", body_len);
  sb_puts(&req, "POST ");
  sb_puts(&req, u->prefix);
  sb_puts(&req, path);
  sb_puts(&req, " HTTP/1.1\r\nHost: ");
  sb_puts(&req, u->host_hdr);
  sb_puts(&req, ":");
  sb_puts(&req, u->port);
  sb_puts(&req, "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ");
  sb_puts(&req, len_text);
  sb_puts(&req, "\r\nUser-Agent: wecom-archive-standin-sdk\r\n\r\n");
  sb_put(&req, body, body_len);
  int sent = req.failed ? -1 : send_all(fd, req.p, req.len, deadline);
  sb_free(&req);
  if (sent != 0) return RC_NETWORK;

  sbuf in = {0};
  size_t head_len = 0;
  while (!head_len) {
    ssize_t r = read_some(fd, &in, deadline);
    if (r <= 0) {
      int rc = in.failed ? RC_SYSTEM : (r == 0 && in.len > 0 ? RC_PARSE : RC_NETWORK);
      sb_free(&in);
      return rc;
    }
    char *mark = memmem(in.p, in.len, "\r\n\r\n", 4);
    if (mark) head_len = (size_t)(mark - in.p) + 4;
    else if (in.len > MAX_HEADER_BYTES) {
      sb_free(&in);
      return RC_PARSE;
    }
  }
  long long content_length = -1;
  int chunked = 0, rc = RC_OK;
  if (parse_head(in.p, head_len, out, &content_length, &chunked) != 0) rc = RC_PARSE;
  if (content_length > MAX_BODY_BYTES) rc = RC_PARSE;
  while (rc == RC_OK) {
    size_t have = in.len - head_len;
    if (!chunked && content_length >= 0 && have >= (size_t)content_length) break;
    if (have > MAX_BODY_BYTES) {
      rc = RC_PARSE;
      break;
    }
    ssize_t r = read_some(fd, &in, deadline);
    if (r < 0) {
      rc = in.failed ? RC_SYSTEM : RC_NETWORK;
    } else if (r == 0) {
      /* EOF ends the body only when no length was announced; a short body is a broken connection. */
      if (!chunked && content_length >= 0) rc = RC_NETWORK;
      break;
    }
  }
  if (rc == RC_OK) {
    size_t n = in.len - head_len;
    if (chunked) {
      long long d = dechunk(in.p + head_len, n);
      if (d < 0) rc = RC_PARSE;
      else n = (size_t)d;
    } else if (content_length >= 0) {
      n = (size_t)content_length;
    }
    if (rc == RC_OK && !(out->body = dup_range(in.p + head_len, n))) rc = RC_SYSTEM;
    out->body_len = n;
  }
  sb_free(&in);
  return rc;
}

int http_post_json(const char *path, const char *body, size_t body_len, int timeout_sec, http_response *out) {
  memset(out, 0, sizeof *out);
  base_url u;
  if (parse_base(getenv("WECOM_API_BASE"), &u) != 0) return RC_NETWORK;
  if (timeout_sec <= 0) timeout_sec = DEFAULT_TIMEOUT_SEC;
  long long deadline = now_ms() + (long long)timeout_sec * 1000;
  int fd = connect_to(&u, deadline);
  if (fd < 0) return RC_NETWORK;
  int rc = exchange(fd, &u, path, body, body_len, deadline, out);
  close(fd);
  if (rc != RC_OK) http_response_free(out);
  return rc;
}

void http_response_free(http_response *r) {
  free(r->body);
  free(r->fault);
  free(r->rc);
  free(r->outindex);
  free(r->finish);
  memset(r, 0, sizeof *r);
}
