/**
 * The UI's language: Chinese by default, English by the toggle (kept in localStorage); strings
 * come from catalogue.ts. Times are shown in the corp's local time, China time unless told otherwise.
 */
import { CATALOGUE } from './catalogue.ts';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'wecom-archive.lang';
export const TIME_ZONE = 'Asia/Shanghai';


export type TextKey = keyof typeof CATALOGUE;

function initialLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage refused (privacy mode): Chinese.
  }
  return 'zh';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not kept: the toggle still works for this page.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(next);
}

export function onLang(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A catalogue string with `{name}` placeholders filled. Values are text: the UI renders them as text nodes. */
export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  const template: string = CATALOGUE[key][current];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A stored code in words when `labels` names it (as an own key), else the code as it is. */
export function labelOf(labels: Readonly<Record<string, TextKey>>, code: string): string {
  return Object.hasOwn(labels, code) ? t(labels[code]!) : code;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(withTime: boolean): Intl.DateTimeFormat {
  const key = `${withTime}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, made);
  }
  return made;
}

/** `2026-11-20 14:03:05`, in the corp's time zone; '' for no time. */
export function formatTime(ms: number | null | undefined, withTime = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const parts = Object.fromEntries(formatter(withTime).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return withTime ? `${date} ${parts.hour}:${parts.minute}:${parts.second}` : date;
}

/** 3 s, 4 min 5 s, 2 h 3 min: a lag or a length. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  const zh = current === 'zh';
  if (s < 60) return zh ? `${s} 秒` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return zh ? `${m} 分 ${s % 60} 秒` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return zh ? `${h} 小时 ${m % 60} 分` : `${h} h ${m % 60} min`;
  return zh ? `${Math.floor(h / 24)} 天` : `${Math.floor(h / 24)} days`;
}

export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A catalogue string with placeholders filled by elements (a name in its own <bdi>), as children. */
export function tParts<T>(key: TextKey, vars: Record<string, T>): Array<string | T> {
  const template: string = CATALOGUE[key][current];
  return template.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name !== undefined && name in vars ? vars[name]! : part;
  });
}
