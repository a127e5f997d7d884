import { useEffect, useState } from 'preact/hooks';
import * as api from './api.ts';
import type { SessionInfo } from './types.ts';

/**
 * Who is using the UI and why. `user`: a signed-in session (GET /api/v1/session). `login`: this
 * browser has no session. The stated purpose is kept on the server (the session's) and here, to be
 * sent in X-Access-Purpose with the requests of one conversation stated for alone.
 */
export type SessionState =
  | { kind: 'loading' }
  | { kind: 'user'; info: SessionInfo }
  | { kind: 'login' }
  | { kind: 'error'; error: api.ApiError };

const PURPOSE_KEY = 'wecom-archive.purpose';

let state: SessionState = { kind: 'loading' };
let sessionPurpose: string | null = readStoredPurpose();
const conversationPurposes = new Map<string, string>();
const listeners = new Set<() => void>();

function readStoredPurpose(): string | null {
  try {
    return sessionStorage.getItem(PURPOSE_KEY);
  } catch {
    return null;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

function set(next: SessionState): void {
  state = next;
  api.setCsrfToken(next.kind === 'user' ? next.info.csrfToken : null);
  if (next.kind === 'user') sessionPurpose = next.info.purpose?.text ?? sessionPurpose;
  emit();
}

// A session that ended (idle or absolute expiry, logout elsewhere): back to the login page.
api.onUnauthorized(() => {
  if (state.kind === 'user') {
    forgetPurposes();
    set({ kind: 'login' });
  }
});

api.setPurposeSource((conversationId) => (conversationId && conversationPurposes.get(conversationId)) || sessionPurpose);

export async function loadSession(): Promise<void> {
  try {
    set({ kind: 'user', info: await api.getSession() });
  } catch (err) {
    if (!(err instanceof api.ApiError)) throw err;
    if (err.status === 401) set({ kind: 'login' });
    else set({ kind: 'error', error: err });
  }
}

export async function logIn(name: string, password: string): Promise<void> {
  const info = await api.login(name, password);
  sessionPurpose = info.purpose?.text ?? null;
  set({ kind: 'user', info });
}

export async function logOut(): Promise<void> {
  try {
    await api.logout();
  } finally {
    forgetPurposes();
    set({ kind: 'login' });
  }
}

function forgetPurposes(): void {
  sessionPurpose = null;
  conversationPurposes.clear();
  try {
    sessionStorage.removeItem(PURPOSE_KEY);
  } catch {
    // Nothing kept.
  }
}

/** The purpose that applies to a conversation (its own, else the session's), or to search (the session's). */
export function purposeFor(conversationId?: string): string | null {
  return (conversationId && conversationPurposes.get(conversationId)) || sessionPurpose;
}

/** States a purpose for the session or one conversation: on the server when it has sessions, and here. */
export async function statePurpose(text: string, conversationId?: string): Promise<void> {
  if (state.kind === 'user') await api.statePurpose(text, conversationId);
  if (conversationId) conversationPurposes.set(conversationId, text);
  else {
    sessionPurpose = text;
    try {
      sessionStorage.setItem(PURPOSE_KEY, text);
    } catch {
      // Kept for this page only.
    }
  }
  emit();
}

/** The session's state, re-rendering on change; `version` changes with every purpose stated. */
export function useSession(): SessionState & { version: number } {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion((v) => v + 1);
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return { ...state, version };
}

export function sessionState(): SessionState {
  return state;
}
