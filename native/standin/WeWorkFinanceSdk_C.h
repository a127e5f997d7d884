/*
 * The public interface of the stand-in Finance SDK: the same 17 functions and struct layouts as
 * Tencent's libWeWorkFinanceSdk_C.so (shared/reference/archive-sdk.md §1.3-1.4), so the product
 * loads either library from FINANCE_SDK_PATH without telling them apart. Test and demo tool only.
 */
#ifndef WEWORK_FINANCE_SDK_C_H
#define WEWORK_FINANCE_SDK_C_H

#define SDK_API __attribute__((visibility("default")))

typedef struct WeWorkFinanceSdk_t WeWorkFinanceSdk_t;

typedef struct Slice_t {
  char *buf;
  int len;
} Slice_t;

typedef struct MediaData {
  char *outindexbuf;
  int out_len;
  char *data;
  int data_len;
  int is_finish;
} MediaData_t;

SDK_API WeWorkFinanceSdk_t *NewSdk(void);
SDK_API int Init(WeWorkFinanceSdk_t *sdk, const char *corpid, const char *secret);
SDK_API int GetChatData(WeWorkFinanceSdk_t *sdk, unsigned long long seq, unsigned int limit,
                        const char *proxy, const char *passwd, int timeout, Slice_t *chatDatas);
SDK_API int DecryptData(const char *encrypt_key, const char *encrypt_msg, Slice_t *msg);
SDK_API int GetMediaData(WeWorkFinanceSdk_t *sdk, const char *indexbuf, const char *sdkFileid,
                         const char *proxy, const char *passwd, int timeout, MediaData_t *media_data);
SDK_API void DestroySdk(WeWorkFinanceSdk_t *sdk);

SDK_API Slice_t *NewSlice(void);
SDK_API void FreeSlice(Slice_t *slice);
SDK_API char *GetContentFromSlice(Slice_t *slice);
SDK_API int GetSliceLen(Slice_t *slice);

SDK_API MediaData_t *NewMediaData(void);
SDK_API void FreeMediaData(MediaData_t *media_data);
SDK_API char *GetOutIndexBuf(MediaData_t *media_data);
SDK_API int GetIndexLen(MediaData_t *media_data);
SDK_API char *GetData(MediaData_t *media_data);
SDK_API int GetDataLen(MediaData_t *media_data);
SDK_API int IsMediaDataFinish(MediaData_t *media_data);

#endif
