/*
 * The stand-in's DecryptData (docs/standin-sdk.md): NOT Tencent's scheme, which is secret, but a
 * keyed XOR keystream that makes a wrong key fail (10006) and carries fault markers, so the product's
 * whole decrypt path can be exercised, crashes and hangs included.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int b64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Standard base64; line breaks are tolerated, '=' only as trailing padding. -1 on anything else. */
static long long b64_decode(const char *in, unsigned char *out) {
  uint32_t acc = 0;
  int bits = 0, pad = 0;
  long long n = 0;
  for (const unsigned char *c = (const unsigned char *)in; *c; c++) {
    if (*c == '\r' || *c == '\n') continue;
    if (*c == '=') {
      pad++;
      continue;
    }
    int v = b64_value(*c);
    if (v < 0 || pad) return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (unsigned char)(acc >> bits);
    }
  }
  /* Leftover bits must be zero padding of a whole group: 2 (==) or 4 (=) bits, never 6. */
  if (bits == 6 || pad > 2 || (acc & ((1u << bits) - 1)) != 0) return -1;
  return n;
}

static uint32_t fnv1a32(const char *s) {
  uint32_t h = 2166136261u;
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    h ^= *c;
    h *= 16777619u;
  }
  return h ? h : 1;
}

/* XORs the keystream over buf: per 4 output bytes, one xorshift32 step, its bytes little-endian. */
static void keystream_xor(const char *key, unsigned char *buf, size_t n) {
  uint32_t x = fnv1a32(key);
  for (size_t i = 0; i < n; i += 4) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    for (size_t k = 0; k < 4 && i + k < n; k++) buf[i + k] ^= (unsigned char)(x >> (8 * k));
  }
}

int standin_decrypt(const char *key, const char *msg, char **out, size_t *out_len) {
  *out = NULL;
  *out_len = 0;
  if (!key || !*key || !msg || !*msg) return RC_PARAM;
  unsigned char *plain = malloc(strlen(msg) / 4 * 3 + 4);
  if (!plain) return RC_SYSTEM;
  long long n = b64_decode(msg, plain);
  if (n < 0) {
    free(plain);
    return RC_PARSE;
  }
  keystream_xor(key, plain, (size_t)n);
  int rc = RC_DECRYPT;
  if (n >= 4 && memcmp(plain, "WWSB", 4) == 0) {
    /* The JSON after the marker, length-exact; it may contain any byte, NUL included. */
    memmove(plain, plain + 4, (size_t)n - 4);
    plain[n - 4] = '\0';
    *out = (char *)plain;
    *out_len = (size_t)n - 4;
    return RC_OK;
  }
  if (n >= 4 && memcmp(plain, "WWSC", 4) == 0) standin_crash();
  if (n >= 4 && memcmp(plain, "WWSH", 4) == 0) standin_hang();
  if (n >= 9 && memcmp(plain, "WWSE", 4) == 0) {
    int code = parse_rc5((const char *)plain + 4);
    if (code > 0) rc = code;
  }
  free(plain);
  return rc;
}
