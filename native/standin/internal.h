/* Internals of the stand-in SDK, hidden from the dynamic symbol table (-fvisibility=hidden). */
#ifndef STANDIN_INTERNAL_H
#define STANDIN_INTERNAL_H

#include <stddef.h>

/* Return codes of the real SDK (archive-sdk.md §1.5) that the stand-in produces itself. */
enum {
  RC_OK = 0,
  RC_PARAM = 10000,
  RC_NETWORK = 10001,
  RC_PARSE = 10002,
  RC_SYSTEM = 10003,
  RC_DECRYPT = 10006,
};

/* A growable byte buffer; every append is checked so an allocation failure is never silent. */
typedef struct {
  char *p;
  size_t len;
  size_t cap;
  int failed;
} sbuf;

void sb_put(sbuf *b, const void *data, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_json_string(sbuf *b, const char *s);
void sb_free(sbuf *b);
/* Hands the bytes over NUL-terminated (so C-string readers stay in bounds); NULL if any append failed. */
char *sb_take(sbuf *b, size_t *len);

/* The parts of an HTTP response the protocol looks at. Header values are NULL when absent. */
typedef struct {
  int status;
  char *body;
  size_t body_len;
  char *fault;      /* X-Standin-Fault */
  char *rc;         /* X-Standin-Rc */
  char *outindex;   /* X-Outindexbuf */
  char *finish;     /* X-Is-Finish */
} http_response;

/* POSTs a JSON body to WECOM_API_BASE + path; returns RC_OK, RC_NETWORK or RC_PARSE. */
int http_post_json(const char *path, const char *body, size_t body_len, int timeout_sec, http_response *out);
void http_response_free(http_response *r);

/* Acts on an X-Standin-Fault value: crashes or hangs (never returns), or returns an rc (0 = no fault). */
int apply_fault(const char *fault);
/* Parses exactly five ASCII digits into a return code, or -1. */
int parse_rc5(const char *s);
void standin_crash(void);
void standin_hang(void);

/* DecryptData's core, on plain buffers. */
int standin_decrypt(const char *key, const char *msg, char **out, size_t *out_len);

#endif
