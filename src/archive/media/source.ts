import type { MediaChunk } from '../sdk/protocol.ts';
import type { MediaSource } from './download.ts';

/**
 * A media source whose SDK processes start on the first chunk asked for: a queue with nothing to
 * download (the usual case after a pull) costs no process start-up.
 */
export function lazyMediaSource(start: () => Promise<MediaSource & { close(): Promise<void> }>): MediaSource & { close(): Promise<void> } {
  let started: Promise<MediaSource & { close(): Promise<void> }> | undefined;
  return {
    mediaChunk: async (sdkfileid: string, indexbuf: string): Promise<MediaChunk> => {
      started ??= start();
      return (await started).mediaChunk(sdkfileid, indexbuf);
    },
    close: async () => {
      const source = await started?.catch(() => undefined);
      await source?.close();
    },
  };
}
