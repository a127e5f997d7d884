import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { sealRequest } from '../../wecom/callback/envelope.ts';
import { CALLBACK_EVENTS, type CallbackKind, type EventKind, type EventSpec } from '../../wecom/callback/events.ts';
import type { ExtensionSimulation } from '../extension.ts';
import type { SandboxState } from '../handlers/types.ts';
import { SettingsError, parseSettings } from '../options.ts';
import { ApiError } from '../server/api-error.ts';
import { STREAM, rngFor } from '../random.ts';
import type { LiveEdits } from '../state/live-company.ts';
import { SimulationError, type SimulationContext } from './context.ts';
import { CallbackDelivery, DEFAULT_DELIVERY, type DeliveryRecord, type DeliverySettings, type DeliveryStats } from './delivery.ts';
import { eventXml } from './message.ts';
import { callbackCrypt, callbackSecretsOf, type CallbackKeyPair } from './secrets.ts';
import { SIMULATIONS, SIMULATION_TYPES, describeSimulations, type SimulationType } from './simulations.ts';
import { CALLBACK_KINDS, DEFAULT_CALLBACK_KINDS, type CallbackOptions } from './options.ts';
import { EventStream } from './stream.ts';
import { verifyUrl, type VerifyResult } from './verify.ts';

export { callbackSecretsFor, callbackSecretsOf, type CallbackKeyPair } from './secrets.ts';
export { SIMULATION_TYPES, describeSimulations, type SimulationType } from './simulations.ts';
export type { DeliveryRecord, DeliveryStats, DeliverySettings } from './delivery.ts';
export type { VerifyResult } from './verify.ts';
export { CALLBACK_KINDS, DEFAULT_CALLBACK_KINDS, type CallbackOptions } from './options.ts';

/**
 * The sandbox's side of WeCom's callbacks: simulated changes (POST /__sandbox/events) change the
 * live state and are delivered, sealed with the per-kind keys, to `<base>/callback/<corpId>/<kind>`
 * for every configured callback URL the catalogue says delivers the event. Writes made through the
 * sandbox's WeCom API never come here, so they send no callback, as in WeCom (§5.6).
 */

export interface SimulatedEvent {
  type: SimulationType;
  changed: Record<string, unknown>;
  deliveries: Array<Pick<DeliveryRecord, 'id' | 'kind' | 'event' | 'status'>>;
}

export interface CallbackStatus {
  url: string | null;
  kinds: CallbackKind[];
  eventsPerMinute: number;
  stats: DeliveryStats & { simulated: number; unsent: number };
  recent: DeliveryRecord[];
}

export interface SandboxCallbacks {
  /** Token and EncodingAESKey per callback kind (what --config-out writes). */
  readonly secrets: Record<CallbackKind, CallbackKeyPair>;
  status(): CallbackStatus;
  /** Where to post (`<base>/callback/<corpId>/<kind>`); null stops sending. */
  setUrl(base: string | null): void;
  setKinds(kinds: CallbackKind[]): void;
  /** WeCom's URL check (GET with an encrypted echostr) on every configured kind's URL. */
  verify(): Promise<VerifyResult[]>;
  /** Simulates changes: `{ type, ...targets }`, one or several, in order. */
  simulate(events: SimulationRequest | SimulationRequest[]): SimulatedEvent[];
  setEventsPerMinute(rate: number): void;
  /** Runs the stream's events due at the sandbox clock (a timer does it every second). */
  pump(): SimulatedEvent[];
  /** Resolves once every queued delivery has ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type SimulationRequest = { type: SimulationType } & Record<string, unknown>;

const urlSchema = z.string().url().refine((u) => /^https?:\/\//.test(u), 'an http(s) URL');
export const callbackSettingsSchema = z.object({
  url: urlSchema.nullable().optional(),
  kinds: z.array(z.enum(CALLBACK_KINDS)).optional(),
  eventsPerMinute: z.number().min(0).max(60_000).optional(),
}).strict();
const requestSchema = z.object({ type: z.enum(SIMULATION_TYPES as [SimulationType, ...SimulationType[]]) }).passthrough();
export const simulateBodySchema = z.union([z.object({ events: z.array(requestSchema).min(1).max(1000) }).strict(), requestSchema]);

export interface CallbackDeps {
  state: SandboxState;
  edits: LiveEdits;
  archive: () => ExtensionSimulation | undefined;
}

export function createCallbacks(deps: CallbackDeps, options: CallbackOptions = {}): SandboxCallbacks {
  const { state } = deps;
  const { seed, corpId, clock } = state;
  const settings: DeliverySettings = { ...DEFAULT_DELIVERY, ...options.delivery };
  const delivery = new CallbackDelivery({ settings: () => settings, sleep: options.sleep });
  const secrets = callbackSecretsOf(seed, corpId);
  const crypts = new Map(CALLBACK_KINDS.map((kind) => [kind, callbackCrypt(seed, corpId, kind)]));
  const baseOf = (url: string) => parseSettings(urlSchema, url, 'callback url').replace(/\/+$/, '');
  let base: string | null = options.url ? baseOf(options.url) : null;
  let kinds = [...(options.kinds ?? DEFAULT_CALLBACK_KINDS)];
  let serial = 0;
  let simulated = 0;
  let unsent = 0;

  /**
   * The self-built app's URL gets directory events only for members and departments in its visible
   * scope (§5.5), and customer events only when it is one of the 「可调用应用」 (§5.6).
   */
  const appReceives = (spec: EventSpec, fields: Record<string, unknown>): boolean => {
    if (spec.event !== 'change_contact') return spec.deliveredBy.includes('customer') ? state.rules.appCustomerAllowed : true;
    if (typeof fields.UserID === 'string') {
      // A renamed member is found by the new userid; a deleted one no longer is, and the app gets the event.
      const member = state.company.employeeByUserid(String(fields.NewUserID ?? fields.UserID));
      return !member || state.visibility.seesEmployee('app', member);
    }
    if (typeof fields.Id === 'string') return state.visibility.seesDepartment('app', Number(fields.Id));
    return true;
  };

  const send = (kind: EventKind, fields: Record<string, unknown>): SimulatedEvent['deliveries'] => {
    const spec: EventSpec = CALLBACK_EVENTS[kind];
    const out: SimulatedEvent['deliveries'] = [];
    for (const target of spec.deliveredBy.filter((k) => kinds.includes(k) && (k !== 'app' || appReceives(spec, fields)))) {
      if (!base) {
        unsent++;
        continue;
      }
      const agentId = target === 'app' ? state.agentId : undefined;
      const xml = eventXml(kind, fields as never, { corpId, createTime: clock.nowSeconds(), agentId });
      const { query, body } = sealRequest(crypts.get(target)!, xml, {
        // Random, not from the seed: a restarted sandbox must not repeat nonces a receiver remembers (2 h).
        timestamp: String(clock.nowSeconds()), nonce: String(randomInt(1_000_000_000, 10_000_000_000)),
        agentId: agentId === undefined ? '' : String(agentId),
      });
      const record = delivery.enqueue({ corpId, kind: target, event: kind, url: `${base}/callback/${encodeURIComponent(corpId)}/${target}`, query, body });
      out.push({ id: record.id, kind: record.kind, event: record.event, status: record.status });
    }
    return out;
  };

  const runOne = (request: SimulationRequest): SimulatedEvent => {
    const { type, ...rest } = parseSettings(requestSchema, request, 'event') as SimulationRequest;
    const spec = SIMULATIONS[type];
    const targets = parseSettings(spec.targets, rest, `${type} targets`) as Record<string, unknown>;
    const ctx: SimulationContext = { state, edits: deps.edits, rng: rngFor(seed, STREAM.simulation, ++serial), now: clock.nowSeconds(), archive: deps.archive() };
    let result;
    try {
      result = spec.run(ctx, targets as never);
    } catch (err) {
      // The state refused the change as WeCom's console would (a tag name taken…): the request's fault.
      if (err instanceof ApiError) throw new SimulationError(`${type}: ${err.message}`);
      throw err;
    }
    simulated++;
    return { type, changed: result.changed, deliveries: result.events.flatMap((e) => send(e.kind, e.fields as Record<string, unknown>)) };
  };

  const stream = new EventStream(seed, () => clock.nowMs(), (type) => {
    const spec: { inStream?: (s: SandboxState) => boolean } = SIMULATIONS[type];
    if (spec.inStream && !spec.inStream(state)) return undefined;
    try {
      return runOne({ type });
    } catch (err) {
      // A random pick the state cannot satisfy (no tags left, archive exhausted): the stream moves on.
      if (err instanceof SimulationError) return undefined;
      throw err;
    }
  }, options.pumpIntervalMs ?? 1000);
  if (options.eventsPerMinute) stream.setRate(options.eventsPerMinute);

  return {
    secrets,
    status: () => ({
      url: base, kinds: [...kinds], eventsPerMinute: stream.rate,
      stats: { ...delivery.stats(), simulated, unsent }, recent: delivery.recent(),
    }),
    setUrl(url) {
      base = url === null ? null : baseOf(url);
    },
    setKinds(next) {
      kinds = [...parseSettings(z.array(z.enum(CALLBACK_KINDS)), next, 'callback kinds')];
    },
    async verify() {
      if (!base) throw new SimulationError('no callback URL is set');
      const url = base;
      return Promise.all(kinds.map((kind) => verifyUrl(kind, `${url}/callback/${encodeURIComponent(corpId)}/${kind}`, crypts.get(kind)!, String(clock.nowSeconds()))));
    },
    simulate(events) {
      const list = Array.isArray(events) ? events : [events];
      const results: SimulatedEvent[] = [];
      for (const request of list) {
        try {
          results.push(runOne(request));
        } catch (err) {
          if (err instanceof SimulationError && list.length > 1) {
            throw new SettingsError(`event ${results.length + 1} (${request.type}): ${err.message}; the ${results.length} before it were applied`);
          }
          throw err;
        }
      }
      return results;
    },
    setEventsPerMinute: (rate) => stream.setRate(parseSettings(z.number().min(0).max(60_000), rate, 'events per minute')),
    pump: () => stream.pump(),
    idle: () => delivery.idle(),
    async close() {
      stream.stop();
      await delivery.close();
    },
  };
}
