import { useEffect, useState } from 'preact/hooks';
import { fetchMedia } from './api.ts';

/** Where a message's file is: its corp, message, path inside it ('' or `item[2]`), and the conversation (for the purpose). */
export interface MediaRef {
  corpId: string;
  msgid: string;
  path: string;
  conversationId: string;
}

export type MediaLoad = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; blob: Blob; url: string } | { status: 'error'; error: unknown };

/**
 * A file fetched through the API (with the purpose and credentials every request carries) and
 * shown from an object URL: the CSP allows blob: for images and media, and the URL is revoked when
 * the bubble goes away.
 */
export function useMedia(ref: MediaRef, enabled: boolean): [MediaLoad, () => void] {
  const [state, setState] = useState<MediaLoad>({ status: 'idle' });
  const [wanted, setWanted] = useState(enabled);
  useEffect(() => {
    if (!wanted) return;
    let url: string | null = null;
    let live = true;
    setState({ status: 'loading' });
    fetchMedia(ref.corpId, ref.msgid, ref.path, ref.conversationId).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setState({ status: 'ready', blob, url });
      },
      (error: unknown) => { if (live) setState({ status: 'error', error }); },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [wanted, ref.corpId, ref.msgid, ref.path]);
  return [state, () => setWanted(true)];
}

/** Saves a blob under a name, from the bubble itself. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What a voice file holds, from its first bytes. */
export type VoiceCodec = 'amr-nb' | 'amr-wb' | 'silk' | 'other';

export function voiceCodec(bytes: Uint8Array): VoiceCodec {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 10));
  if (head.startsWith('#!AMR-WB\n')) return 'amr-wb';
  if (head.startsWith('#!AMR\n')) return 'amr-nb';
  if (head.startsWith('#!SILK_V3') || head.startsWith('\u0002#!SILK_V3')) return 'silk';
  return 'other';
}

/** 16-bit PCM WAV around mono samples, for a native <audio> (seek bar, keyboard, speed). */
export function wavBlob(samples: Float32Array, sampleRate: number): Blob {
  const header = new ArrayBuffer(44);
  const view = new DataView(header);
  const data = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    data[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
  }
  const writeText = (offset: number, text: string) => { for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i)); };
  writeText(0, 'RIFF');
  view.setUint32(4, 36 + data.byteLength, true);
  writeText(8, 'WAVE');
  writeText(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  writeText(36, 'data');
  view.setUint32(40, data.byteLength, true);
  return new Blob([header, data.buffer], { type: 'audio/wav' });
}
