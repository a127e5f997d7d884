import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * How parts of the sandbox that live in their own folder (the chat archive, for instance) plug into
 * the sandbox HTTP server without the server knowing their internals.
 */
import type { CompanyView } from './company/view.ts';

export interface SandboxContext {
  company: CompanyView;
  seed: number;
  size: 'small' | 'large';
  corpId: string;
  /** The sandbox's clock: fixed with `--now`, else real time. */
  now(): Date;
  /** Secrets the sandbox issued, per credential kind. */
  secrets: { app: string; contacts: string; customer: string; archive: string };
  /** Resolves an access_token to the credential kind it was issued for, or undefined if invalid/expired. */
  credentialOfToken(token: string): 'app' | 'contacts' | 'customer' | 'archive' | undefined;
}

export interface RawRoute {
  method: 'GET' | 'POST';
  /** Absolute path, e.g. `/__finance/chatdata`. Matched exactly. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void | Promise<void>;
}

export interface SandboxExtension {
  name: string;
  /** Extra raw HTTP routes (outside the /cgi-bin/ catalogue). */
  routes?: RawRoute[];
  /** Handlers for catalogue endpoints this extension owns (e.g. 'msgaudit.getPermitUserList'): JSON in, JSON out. */
  endpoints?: Record<string, (params: Record<string, unknown>, credential: string) => unknown | Promise<unknown>>;
  /** Counts merged into GET /__sandbox/summary. */
  summary?(): Record<string, number>;
  /** Extra KEY=VALUE lines for `--config-out`, written after the core ones (may write files beside it). */
  configLines?(configDir: string, corpId: string): Promise<string[]> | string[];
  close?(): Promise<void> | void;
  /** What simulated events (POST /__sandbox/events) change in the extension's own data. */
  simulation?: ExtensionSimulation;
}

export interface ExtensionSimulation {
  /** New archived messages, sent now; the next pull gets them (added 0 when the archive has none left). */
  appendMessages(count: number): { firstSeq: number; lastSeq: number; added: number };
  /** A customer agreed to archiving towards a member (msg_audit_approved). */
  approveConsent(employee: number, customer: number, at: Date): void;
  /** The consent check_single_agree reports now. */
  agrees(employee: number, customer: number): boolean;
}

export type SandboxExtensionFactory = (ctx: SandboxContext) => SandboxExtension | Promise<SandboxExtension>;
