import koffi, { type LibraryHandle } from 'koffi';

/**
 * The Finance SDK's C API through koffi (archive-sdk.md §1.3-1.4, §8). Runs only inside an SDK host
 * process: the library crashes in the wild and must not take the product down with it.
 *
 * Pointer hygiene: every handle and struct is a pointer type (the ctypes int-truncation crash, §7);
 * outputs are read through the accessor functions by explicit length as bytes and copied before the
 * Slice/MediaData is freed; every Slice and MediaData is freed, whatever happens. Network and
 * decryption calls run with `.async` on koffi's worker threads so the host's event loop keeps
 * serving IPC; a call that never returns is the pool's timeout to notice.
 */

export interface SliceOutput {
  rc: number;
  data: Buffer;
}

export interface MediaOutput {
  rc: number;
  data: Buffer;
  outIndex: string;
  finished: boolean;
}

export interface FinanceLibrary {
  newSdk(): unknown;
  init(sdk: unknown, corpId: string, secret: string): number;
  getChatData(sdk: unknown, seq: bigint, limit: number, proxy: string, passwd: string, timeoutSec: number): Promise<SliceOutput>;
  /** `key` is NUL-terminated bytes, so the RSA plaintext reaches C byte for byte. */
  decryptData(key: Buffer, msg: string): Promise<SliceOutput>;
  getMediaData(sdk: unknown, indexbuf: string, sdkfileid: string, proxy: string, passwd: string, timeoutSec: number): Promise<MediaOutput>;
  destroySdk(sdk: unknown): void;
}

// koffi type names are process-global; a host loads exactly one library, so declare them once.
const SdkPtr = koffi.pointer(koffi.opaque('WeWorkFinanceSdk_t'));
const SlicePtr = koffi.pointer(koffi.opaque('Slice_t'));
const MediaPtr = koffi.pointer(koffi.opaque('MediaData_t'));

type Fn = ReturnType<LibraryHandle['func']>;

function callAsync(fn: Fn, ...args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, rc: number) => (err ? reject(err) : resolve(rc)));
  });
}

/** Copies `len` bytes at `ptr`: koffi.view shares the C memory, which is freed right after. */
function copyBytes(ptr: unknown, len: number): Buffer {
  if (!ptr || len <= 0) return Buffer.alloc(0);
  return Buffer.from(new Uint8Array(koffi.view(ptr, len)));
}

export function openFinanceLibrary(path: string): FinanceLibrary {
  const lib = koffi.load(path);
  const f = {
    NewSdk: lib.func('NewSdk', SdkPtr, []),
    Init: lib.func('Init', 'int', [SdkPtr, 'const char *', 'const char *']),
    GetChatData: lib.func('GetChatData', 'int', [SdkPtr, 'unsigned long long', 'unsigned int', 'const char *', 'const char *', 'int', SlicePtr]),
    DecryptData: lib.func('DecryptData', 'int', ['const char *', 'const char *', SlicePtr]),
    GetMediaData: lib.func('GetMediaData', 'int', [SdkPtr, 'const char *', 'const char *', 'const char *', 'const char *', 'int', MediaPtr]),
    DestroySdk: lib.func('DestroySdk', 'void', [SdkPtr]),
    NewSlice: lib.func('NewSlice', SlicePtr, []),
    FreeSlice: lib.func('FreeSlice', 'void', [SlicePtr]),
    // void * rather than char *: koffi would turn a char * into a string at the first NUL.
    GetContentFromSlice: lib.func('GetContentFromSlice', 'void *', [SlicePtr]),
    GetSliceLen: lib.func('GetSliceLen', 'int', [SlicePtr]),
    NewMediaData: lib.func('NewMediaData', MediaPtr, []),
    FreeMediaData: lib.func('FreeMediaData', 'void', [MediaPtr]),
    GetOutIndexBuf: lib.func('GetOutIndexBuf', 'void *', [MediaPtr]),
    GetIndexLen: lib.func('GetIndexLen', 'int', [MediaPtr]),
    GetData: lib.func('GetData', 'void *', [MediaPtr]),
    GetDataLen: lib.func('GetDataLen', 'int', [MediaPtr]),
    IsMediaDataFinish: lib.func('IsMediaDataFinish', 'int', [MediaPtr]),
  };

  async function withSlice(call: (slice: unknown) => Promise<number>): Promise<SliceOutput> {
    const slice = f.NewSlice();
    if (!slice) throw new Error('NewSlice returned NULL');
    try {
      const rc = await call(slice);
      const data = rc === 0 ? copyBytes(f.GetContentFromSlice(slice), f.GetSliceLen(slice)) : Buffer.alloc(0);
      return { rc, data };
    } finally {
      f.FreeSlice(slice);
    }
  }

  return {
    newSdk() {
      const sdk = f.NewSdk();
      if (!sdk) throw new Error('NewSdk returned NULL');
      return sdk;
    },
    init: (sdk, corpId, secret) => f.Init(sdk, corpId, secret),
    getChatData: (sdk, seq, limit, proxy, passwd, timeoutSec) =>
      withSlice((slice) => callAsync(f.GetChatData, sdk, seq, limit, proxy, passwd, timeoutSec, slice)),
    decryptData: (key, msg) => withSlice((slice) => callAsync(f.DecryptData, key, msg, slice)),
    async getMediaData(sdk, indexbuf, sdkfileid, proxy, passwd, timeoutSec) {
      const media = f.NewMediaData();
      if (!media) throw new Error('NewMediaData returned NULL');
      try {
        const rc = await callAsync(f.GetMediaData, sdk, indexbuf, sdkfileid, proxy, passwd, timeoutSec, media);
        if (rc !== 0) return { rc, data: Buffer.alloc(0), outIndex: '', finished: false };
        return {
          rc,
          data: copyBytes(f.GetData(media), f.GetDataLen(media)),
          outIndex: copyBytes(f.GetOutIndexBuf(media), f.GetIndexLen(media)).toString('latin1'),
          finished: f.IsMediaDataFinish(media) === 1,
        };
      } finally {
        f.FreeMediaData(media);
      }
    },
    destroySdk: (sdk) => f.DestroySdk(sdk),
  };
}
