/*
 * The 17 exported functions of the stand-in Finance SDK (docs/standin-sdk.md). Every output is
 * heap memory owned by its Slice_t/MediaData_t and released by FreeSlice/FreeMediaData, so a caller
 * that leaks them leaks here exactly as it would with Tencent's library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "WeWorkFinanceSdk_C.h"
#include "internal.h"

#define MAX_LIMIT 1000u

struct WeWorkFinanceSdk_t {
  char *corpid;
  char *secret;
};

SDK_API WeWorkFinanceSdk_t *NewSdk(void) { return calloc(1, sizeof(WeWorkFinanceSdk_t)); }

SDK_API int Init(WeWorkFinanceSdk_t *sdk, const char *corpid, const char *secret) {
  if (!sdk || !corpid || !*corpid || !secret || !*secret) return RC_PARAM;
  char *c = strdup(corpid), *s = strdup(secret);
  if (!c || !s) {
    free(c);
    free(s);
    return RC_SYSTEM;
  }
  free(sdk->corpid);
  free(sdk->secret);
  sdk->corpid = c;
  sdk->secret = s;
  return RC_OK;
}

SDK_API void DestroySdk(WeWorkFinanceSdk_t *sdk) {
  if (!sdk) return;
  free(sdk->corpid);
  free(sdk->secret);
  free(sdk);
}

SDK_API Slice_t *NewSlice(void) { return calloc(1, sizeof(Slice_t)); }

SDK_API void FreeSlice(Slice_t *slice) {
  if (!slice) return;
  free(slice->buf);
  free(slice);
}

SDK_API char *GetContentFromSlice(Slice_t *slice) { return slice ? slice->buf : NULL; }
SDK_API int GetSliceLen(Slice_t *slice) { return slice ? slice->len : 0; }

/* A slice reused for a second call must not leak, nor keep the previous call's content. */
static void slice_set(Slice_t *slice, char *buf, size_t len) {
  free(slice->buf);
  slice->buf = buf;
  slice->len = (int)len;
}

/* The request body every network call starts with. */
static void body_begin(sbuf *b, const WeWorkFinanceSdk_t *sdk) {
  sb_puts(b, "{\"corpid\":");
  sb_json_string(b, sdk->corpid);
  sb_puts(b, ",\"secret\":");
  sb_json_string(b, sdk->secret);
}

/* Faults and X-Standin-Rc first (they may come with any status), then the status itself. */
static int response_rc(const http_response *r) {
  int rc = apply_fault(r->fault);
  if (rc) return rc;
  if (r->rc) {
    rc = parse_rc5(r->rc);
    return rc > 0 ? rc : RC_PARSE;
  }
  return r->status == 200 ? RC_OK : RC_PARSE;
}

static int post(const char *path, sbuf *body, int timeout, http_response *resp) {
  size_t len;
  char *text = sb_take(body, &len);
  if (!text) return RC_SYSTEM;
  int rc = http_post_json(path, text, len, timeout, resp);
  free(text);
  if (rc == RC_OK && (rc = response_rc(resp)) != RC_OK) http_response_free(resp);
  return rc;
}

SDK_API int GetChatData(WeWorkFinanceSdk_t *sdk, unsigned long long seq, unsigned int limit,
                        const char *proxy, const char *passwd, int timeout, Slice_t *chatDatas) {
  (void)proxy;  /* the sandbox is local: a proxy has nothing to do here */
  (void)passwd;
  if (!sdk || !chatDatas || !sdk->corpid || limit == 0 || limit > MAX_LIMIT) return RC_PARAM;
  slice_set(chatDatas, NULL, 0);
  char num[64];
  sbuf body = {0};
  body_begin(&body, sdk);
  snprintf(num, sizeof num, ",\"seq\":\"%llu\",\"limit\":%u}", seq, limit);
  sb_puts(&body, num);
  http_response resp;
  int rc = post("/__finance/chatdata", &body, timeout, &resp);
  if (rc != RC_OK) return rc;
  /* The body is exactly what the real SDK puts in the slice: copied as is, NUL-terminated. */
  slice_set(chatDatas, resp.body, resp.body_len);
  resp.body = NULL;
  http_response_free(&resp);
  return RC_OK;
}

SDK_API int DecryptData(const char *encrypt_key, const char *encrypt_msg, Slice_t *msg) {
  if (!msg) return RC_PARAM;
  char *out;
  size_t len;
  int rc = standin_decrypt(encrypt_key, encrypt_msg, &out, &len);
  slice_set(msg, rc == RC_OK ? out : NULL, rc == RC_OK ? len : 0);
  return rc;
}

SDK_API MediaData_t *NewMediaData(void) { return calloc(1, sizeof(MediaData_t)); }

static void media_clear(MediaData_t *m) {
  free(m->outindexbuf);
  free(m->data);
  memset(m, 0, sizeof *m);
}

SDK_API void FreeMediaData(MediaData_t *media_data) {
  if (!media_data) return;
  media_clear(media_data);
  free(media_data);
}

SDK_API int GetMediaData(WeWorkFinanceSdk_t *sdk, const char *indexbuf, const char *sdkFileid,
                         const char *proxy, const char *passwd, int timeout, MediaData_t *media_data) {
  (void)proxy;
  (void)passwd;
  if (!sdk || !media_data || !sdk->corpid || !sdkFileid || !*sdkFileid) return RC_PARAM;
  media_clear(media_data);
  sbuf body = {0};
  body_begin(&body, sdk);
  sb_puts(&body, ",\"sdkfileid\":");
  sb_json_string(&body, sdkFileid);
  sb_puts(&body, ",\"indexbuf\":");
  sb_json_string(&body, indexbuf ? indexbuf : "");
  sb_puts(&body, "}");
  http_response resp;
  int rc = post("/__finance/media", &body, timeout, &resp);
  if (rc != RC_OK) return rc;
  const char *finish = resp.finish ? resp.finish : "";
  if (strcmp(finish, "0") != 0 && strcmp(finish, "1") != 0) {
    http_response_free(&resp);
    return RC_PARSE;
  }
  /* Binary chunk: its length is Content-Length, never strlen. */
  media_data->data = resp.body;
  media_data->data_len = (int)resp.body_len;
  media_data->outindexbuf = resp.outindex ? resp.outindex : strdup("");
  media_data->out_len = (int)strlen(media_data->outindexbuf ? media_data->outindexbuf : "");
  media_data->is_finish = finish[0] == '1';
  resp.body = NULL;
  resp.outindex = NULL;
  http_response_free(&resp);
  return media_data->outindexbuf ? RC_OK : RC_SYSTEM;
}

SDK_API char *GetOutIndexBuf(MediaData_t *media_data) { return media_data ? media_data->outindexbuf : NULL; }
SDK_API int GetIndexLen(MediaData_t *media_data) { return media_data ? media_data->out_len : 0; }
SDK_API char *GetData(MediaData_t *media_data) { return media_data ? media_data->data : NULL; }
SDK_API int GetDataLen(MediaData_t *media_data) { return media_data ? media_data->data_len : 0; }
SDK_API int IsMediaDataFinish(MediaData_t *media_data) { return media_data ? media_data->is_finish : 0; }
