import { t } from '../i18n.ts';

/**
 * User text, always as text nodes: http(s) addresses become links (new tab, no opener, no
 * referrer); nothing else does, so `javascript:` and markup stay words. `dir="auto"` plus
 * `unicode-bidi: isolate` (styles.css) keep RTL overrides inside their own span.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'\u3000-\u303f\uff00-\uffef]+/gi;

export function safeHttpUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function RichText({ text, class: className }: { text: string; class?: string }) {
  const parts: preact.ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const url = safeHttpUrl(match[0]);
    if (!url) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(<ExternalLink key={start} href={url} label={match[0]} />);
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <span class={`user-text ${className ?? ''}`} dir="auto">{parts}</span>;
}

export function ExternalLink({ href, label }: { href: string; label: string }) {
  return <a class="external" href={href} target="_blank" rel="noopener noreferrer" referrerpolicy="no-referrer">{label}</a>;
}

/** An address from a payload (link_url): a link only when it is http or https; otherwise shown, and said to be inert. */
export function PayloadUrl({ url }: { url: string }) {
  const safe = safeHttpUrl(url);
  if (safe) return <span class="url"><ExternalLink href={safe} label={revealControls(url)} /></span>;
  return <span class="url inert"><span class="user-text" dir="auto">{revealControls(url)}</span> <span class="muted small">{t('linkUnsafe')}</span></span>;
}

/**
 * Bidi controls and invisible characters shown as what they are ([U+202E]) where a spoof matters:
 * a file name whose RLO turns `fdp.exe` into `exe.pdf`, an address that hides part of itself.
 */
const HIDDEN_CONTROLS = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function revealControls(text: string): string {
  return text.replace(HIDDEN_CONTROLS, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** A name or other short user string, isolated from the text around it. */
export function Name({ text, class: className }: { text: string; class?: string }) {
  return <bdi class={`name ${className ?? ''}`}>{text}</bdi>;
}
