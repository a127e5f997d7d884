import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fetchMedia } from '../api.ts';
import { formatBytes, t, type TextKey } from '../i18n.ts';
import { saveBlob, useMedia, voiceCodec, wavBlob, type MediaRef } from '../media.ts';
import type { MediaView } from '../types.ts';
import { Name, revealControls } from './RichText.tsx';

/**
 * The media parts of bubbles: image (inline, zoom in a dialog), voice (AMR decoded in the browser),
 * video, and file downloads. A file WeCom never gave us (not downloaded, expired, missing, failed)
 * is said as such instead.
 */

const STATE_TEXT: Record<string, TextKey> = {
  pending: 'mediaPendingState', not_queued: 'mediaNotQueued', expired: 'mediaExpired', missing: 'mediaMissing', failed: 'mediaFailed',
};

/** The badge on a file bubble: its extension (PDF, XLSX), else FILE. */
function fileExtension(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1];
  return (ext ?? 'file').toUpperCase();
}

export function mediaStored(media: MediaView): boolean {
  return media.status === 'downloaded' || media.status === 'md5_mismatch';
}

export function MediaState({ media }: { media: MediaView }) {
  const key = STATE_TEXT[media.status];
  if (!key) return media.status === 'md5_mismatch' ? <p class="media-state warn">{t('mediaMd5')}</p> : null;
  return <p class={`media-state state-${media.status}`} data-media-state={media.status}>{t(key)}</p>;
}

function LoadError({ error }: { error: unknown }) {
  const detail = error instanceof ApiError ? error.problem.detail || error.message : String(error);
  return <p class="media-state error" role="alert">{t('mediaLoadError', { detail })}</p>;
}

export function ImagePart({ media, mediaRef, label }: { media: MediaView; mediaRef: MediaRef; label?: string }) {
  const stored = mediaStored(media);
  const [load] = useMedia(mediaRef, stored);
  const dialog = useRef<HTMLDialogElement>(null);
  if (!stored) return <MediaState media={media} />;
  if (load.status === 'error') return <LoadError error={load.error} />;
  if (load.status !== 'ready') return <div class="image-placeholder" aria-busy="true">{t('loading')}</div>;
  const alt = label ?? t('imageAlt');
  return (
    <>
      <button type="button" class="image-button" aria-label={t('zoomIn')} onClick={() => dialog.current?.showModal()}>
        <img class="thumb" src={load.url} alt={alt} />
      </button>
      <dialog ref={dialog} class="zoom" aria-label={alt} onClick={(e) => { if (e.target === dialog.current) dialog.current?.close(); }}>
        <img src={load.url} alt={alt} />
        <form method="dialog"><button type="submit" class="close" autoFocus>{t('closeZoom')}</button></form>
      </dialog>
      <MediaState media={media} />
    </>
  );
}

export function FilePart({ media, mediaRef, fallbackName }: { media: MediaView; mediaRef: MediaRef; fallbackName: string }) {
  const stored = mediaStored(media);
  const [load, start] = useMedia(mediaRef, false);
  const [asked, setAsked] = useState(false);
  const name = media.filename || fallbackName;
  useEffect(() => {
    if (asked && load.status === 'ready') {
      saveBlob(load.blob, name);
      setAsked(false);
    }
  }, [asked, load.status]);
  return (
    <div class="file">
      <span class="file-icon" aria-hidden="true">{fileExtension(name)}</span>
      <span class="file-name"><Name text={revealControls(name)} /> <span class="muted small">{formatBytes(media.size)}</span></span>
      {stored ? (
        <button type="button" class="download" disabled={load.status === 'loading'}
          onClick={() => { setAsked(true); if (load.status === 'ready') saveBlob(load.blob, name); else start(); }}>
          {t('download')}<span class="visually-hidden"> {name}</span>
        </button>
      ) : null}
      {load.status === 'error' ? <LoadError error={load.error} /> : null}
      <MediaState media={media} />
    </div>
  );
}

export function VideoPart({ media, mediaRef }: { media: MediaView; mediaRef: MediaRef }) {
  const stored = mediaStored(media);
  const [load, start] = useMedia(mediaRef, false);
  const [unplayable, setUnplayable] = useState(false);
  if (!stored) return <MediaState media={media} />;
  if (load.status === 'error') return <LoadError error={load.error} />;
  if (load.status === 'ready' && unplayable) {
    // A codec the browser lacks (MPEG-4 Part 2, HEVC on some systems): the file is still the evidence.
    return (
      <p class="video unsupported">
        {t('videoUnsupported')} <a href={load.url} download={`${mediaRef.msgid}.mp4`}>{t('download')}</a>
      </p>
    );
  }
  if (load.status === 'ready') return <video class="video" controls preload="metadata" src={load.url} onError={() => setUnplayable(true)} />;
  return (
    <button type="button" class="media-load" onClick={start} disabled={load.status === 'loading'}>
      ▶ {load.status === 'loading' ? t('loading') : t('videoLoad')} <span class="muted small">{formatBytes(media.size)}</span>
    </button>
  );
}

type VoiceState =
  | { status: 'idle' }
  | { status: 'decoding' }
  | { status: 'ready'; url: string }
  | { status: 'unsupported'; codec: string; url: string }
  | { status: 'failed'; error: unknown };

/**
 * Voice: fetched and decoded only when asked for. AMR-NB goes through the lazily loaded decoder into
 * a WAV for a native <audio> (seek bar, keyboard); AMR-WB and SILK, which the decoder cannot read,
 * get a labelled download link; anything else is handed to <audio> as it is.
 */
export function VoicePart({ media, mediaRef, seconds }: { media: MediaView; mediaRef: MediaRef; seconds: number | null }) {
  const stored = mediaStored(media);
  const [state, setState] = useState<VoiceState>({ status: 'idle' });
  const urls = useRef<string[]>([]);
  useEffect(() => () => { for (const url of urls.current) URL.revokeObjectURL(url); }, []);
  const remember = (blob: Blob) => {
    const url = URL.createObjectURL(blob);
    urls.current.push(url);
    return url;
  };

  const load = async () => {
    setState({ status: 'decoding' });
    try {
      const blob = await fetchMedia(mediaRef.corpId, mediaRef.msgid, mediaRef.path, mediaRef.conversationId);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const codec = voiceCodec(bytes);
      if (codec === 'amr-wb' || codec === 'silk') {
        setState({ status: 'unsupported', codec: codec === 'silk' ? 'SILK' : 'AMR-WB', url: remember(blob) });
        return;
      }
      if (codec === 'other') {
        setState({ status: 'ready', url: remember(blob) });
        return;
      }
      const { decodeAmr, AMR_SAMPLE_RATE } = await import('../amr.ts');
      const samples = decodeAmr(bytes);
      if (!samples || samples.length === 0) throw new Error(t('voiceDecodeFailed'));
      setState({ status: 'ready', url: remember(wavBlob(samples, AMR_SAMPLE_RATE)) });
    } catch (error) {
      setState({ status: 'failed', error });
    }
  };

  const length = seconds !== null ? t('voiceSeconds', { seconds }) : '';
  if (!stored) return <div class="voice">{t('voiceLabel')} {length}<MediaState media={media} /></div>;
  if (state.status === 'ready') {
    return <audio class="voice-audio" controls autoPlay src={state.url} aria-label={`${t('play')} ${length}`} data-seconds={seconds ?? ''} />;
  }
  if (state.status === 'unsupported') {
    return (
      <p class="voice unsupported">
        {t('voiceUnsupported', { codec: state.codec })}{' '}
        <a href={state.url} download={`${mediaRef.msgid}.${state.codec === 'SILK' ? 'silk' : 'amr'}`}>{t('download')}</a>
      </p>
    );
  }
  if (state.status === 'failed') return <LoadError error={state.error} />;
  return (
    <button type="button" class="voice media-load" onClick={() => void load()} disabled={state.status === 'decoding'} aria-label={`${t('voiceLoad')} ${length}`}>
      <span aria-hidden="true">▶</span> {state.status === 'decoding' ? t('voiceDecoding') : `${t('voiceLabel')} ${length}`}
    </button>
  );
}

/** Audio WeCom stores in a browser format (meeting_voice_call recordings are mp3). */
export function AudioPart({ media, mediaRef }: { media: MediaView; mediaRef: MediaRef }) {
  const stored = mediaStored(media);
  const [load, start] = useMedia(mediaRef, false);
  if (!stored) return <MediaState media={media} />;
  if (load.status === 'error') return <LoadError error={load.error} />;
  if (load.status === 'ready') return <audio controls src={load.url} />;
  return <button type="button" class="media-load" onClick={start}>▶ {t('voiceLoad')}</button>;
}
