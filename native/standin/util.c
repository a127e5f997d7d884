/* Small helpers shared by the stand-in: a checked byte buffer, JSON string escaping, faults. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

void sb_put(sbuf *b, const void *data, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->failed = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* corpid, secret and sdkfileid come from the caller; escape them so the body is always valid JSON. */
void sb_json_string(sbuf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  sb_put(b, "\"", 1);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\') {
      char esc[2] = {'\\', (char)*c};
      sb_put(b, esc, 2);
    } else if (*c < 0x20) {
      char esc[6] = {'\\', 'u', '0', '0', hex[*c >> 4], hex[*c & 15]};
      sb_put(b, esc, 6);
    } else {
      sb_put(b, c, 1);
    }
  }
  sb_put(b, "\"", 1);
}

void sb_free(sbuf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

char *sb_take(sbuf *b, size_t *len) {
  if (b->failed) {
    sb_free(b);
    return NULL;
  }
  if (!b->p) sb_put(b, "", 0);
  if (b->failed) return NULL;
  char *p = b->p;
  *len = b->len;
  b->p = NULL;
  b->len = b->cap = 0;
  return p;
}

int parse_rc5(const char *s) {
  if (!s) return -1;
  int rc = 0;
  for (int i = 0; i < 5; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    rc = rc * 10 + (s[i] - '0');
  }
  return rc;
}

/* Like the SIGSEGVs seen in the real SDK (archive-sdk.md §7): the whole process dies. */
void standin_crash(void) {
  raise(SIGSEGV);
  /* Only reached if someone handles SIGSEGV and returns: fault for real. */
  *(volatile int *)0 = 0;
  abort();
}

/* "Far past any timeout": a day. The host's supervisor is expected to kill us long before. */
void standin_hang(void) {
  struct timespec day = {86400, 0};
  while (nanosleep(&day, &day) != 0) {
  }
  abort();
}

int apply_fault(const char *fault) {
  if (!fault || !*fault) return 0;
  if (strcmp(fault, "crash") == 0) standin_crash();
  if (strcmp(fault, "hang") == 0) standin_hang();
  if (strncmp(fault, "rc=", 3) == 0) {
    int rc = parse_rc5(fault + 3);
    if (rc > 0 && fault[8] == '\0') return rc;
  }
  /* An unknown fault name is a broken server, not a business error. */
  return RC_PARSE;
}
