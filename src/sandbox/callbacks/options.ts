import type { CallbackKind } from '../../wecom/callback/events.ts';
import type { DeliverySettings } from './delivery.ts';

/** How the sandbox sends callbacks (`startSandbox({ callbacks })`, the CLI's --callback-url …). */
export interface CallbackOptions {
  /** The receiver's base URL (e.g. http://127.0.0.1:8080); left out, nothing is sent until one is set. */
  url?: string;
  /**
   * The callback URLs configured in the "admin console". Default contacts, customer and archive: the
   * system callbacks. Adding `app` also sends the events the app's URL receives (a second copy).
   */
  kinds?: CallbackKind[];
  /** A steady random stream of simulated events (0 = off). */
  eventsPerMinute?: number;
  delivery?: Partial<DeliverySettings>;
  /** Waits before a retry (tests inject it); default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** How often the stream checks the clock (ms); false: only `pump()` runs it (tests). Default 1000. */
  pumpIntervalMs?: number | false;
}

/** The callback URLs a corp configures (the catalogue's CallbackKind), as a list. */
export const CALLBACK_KINDS = ['app', 'contacts', 'customer', 'archive'] as const satisfies readonly CallbackKind[];

export const DEFAULT_CALLBACK_KINDS: CallbackKind[] = ['contacts', 'customer', 'archive'];
