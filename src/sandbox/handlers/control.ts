import { z } from 'zod';
import { CREDENTIAL_KINDS, type CredentialKind } from '../../wecom/endpoints.ts';
import { callbackSettingsSchema, describeSimulations, simulateBodySchema, type SandboxCallbacks, type SimulationRequest } from '../callbacks/index.ts';
import {
  SettingsError, faultFieldsSchema, limitsSchema, parseSettings, rulesSchema,
  type FaultSettings, type LimitSettings, type SandboxRules,
} from '../options.ts';

/**
 * `/__sandbox/…`: the control endpoints, for tests of other components and for people poking at a
 * running sandbox. Each mirrors a method of the programmatic API; bodies are validated and a bad one
 * answers 400 naming the wrong field.
 */
export interface ControlApi {
  summary(): Record<string, number>;
  stats(): unknown;
  faults(): FaultSettings;
  setFaults(faults: Partial<FaultSettings>): void;
  rules: SandboxRules;
  limits: LimitSettings;
  revokeTokens(filter?: { kind?: CredentialKind; token?: string }): number;
  resetSecret(kind: CredentialKind): string;
  issueOAuthCode(userid: string): string;
  clock: { now(): Date; advance(ms: number): void; set(at: Date): void };
  callbacks: SandboxCallbacks;
}

const kindSchema = z.enum(CREDENTIAL_KINDS);
const revokeSchema = z.object({ kind: kindSchema.optional(), token: z.string().optional() }).strict();
const clockSchema = z.object({ advanceSeconds: z.number().min(0).optional(), now: z.string().datetime({ offset: true }).optional() }).strict();

export const CONTROL_ROUTES = [
  'GET /__sandbox/summary', 'GET /__sandbox/stats', 'GET|POST /__sandbox/faults', 'GET|POST /__sandbox/rules',
  'GET|POST /__sandbox/limits', 'POST /__sandbox/tokens/revoke', 'POST /__sandbox/secrets/reset',
  'GET|POST /__sandbox/clock', 'POST /__sandbox/oauth/code', 'GET|POST /__sandbox/callbacks', 'POST /__sandbox/callbacks/verify', 'GET|POST /__sandbox/events',
];

type Route = (body: unknown) => unknown;

function routes(api: ControlApi): Record<string, Route> {
  const clockNow = () => ({ now: api.clock.now().toISOString() });
  return {
    'GET /__sandbox': () => ({ routes: CONTROL_ROUTES }),
    'GET /__sandbox/summary': () => api.summary(),
    'GET /__sandbox/stats': () => api.stats(),
    'GET /__sandbox/faults': () => api.faults(),
    // Replaces the fault settings: fields left out go back to "no fault".
    'POST /__sandbox/faults': (body) => (api.setFaults(parseSettings(faultFieldsSchema.partial().strict(), body ?? {}, 'faults')), api.faults()),
    'GET /__sandbox/rules': () => api.rules,
    // Merges: only the rules given change.
    'POST /__sandbox/rules': (body) => (Object.assign(api.rules, parseSettings(rulesSchema.partial().strict(), body, 'rules')), api.rules),
    'GET /__sandbox/limits': () => api.limits,
    'POST /__sandbox/limits': (body) => (Object.assign(api.limits, parseSettings(limitsSchema.partial().strict(), body, 'limits')), api.limits),
    'POST /__sandbox/tokens/revoke': (body) => ({ revoked: api.revokeTokens(parseSettings(revokeSchema, body ?? {}, 'revoke filter')) }),
    'POST /__sandbox/secrets/reset': (body) => {
      const { kind } = parseSettings(z.object({ kind: kindSchema }).strict(), body, 'secret reset');
      return { kind, secret: api.resetSecret(kind) };
    },
    'GET /__sandbox/clock': clockNow,
    'POST /__sandbox/clock': (body) => {
      const change = parseSettings(clockSchema, body, 'clock');
      if (change.now) api.clock.set(new Date(change.now));
      if (change.advanceSeconds) api.clock.advance(change.advanceSeconds * 1000);
      return clockNow();
    },
    'GET /__sandbox/callbacks': () => api.callbacks.status(),
    // Merges: only the settings given change; `url: null` stops sending.
    'POST /__sandbox/callbacks': (body) => {
      const change = parseSettings(callbackSettingsSchema, body ?? {}, 'callback settings');
      if (change.url !== undefined) api.callbacks.setUrl(change.url);
      if (change.kinds) api.callbacks.setKinds(change.kinds);
      if (change.eventsPerMinute !== undefined) api.callbacks.setEventsPerMinute(change.eventsPerMinute);
      return api.callbacks.status();
    },
    'POST /__sandbox/callbacks/verify': async () => ({ results: await api.callbacks.verify() }),
    'GET /__sandbox/events': () => ({ types: describeSimulations() }),
    // One `{ type, ...targets }` or `{ events: [...] }`; answers what changed and the delivery ids.
    'POST /__sandbox/events': (body) => {
      const parsed = parseSettings(simulateBodySchema, body, 'events');
      const list = ('events' in parsed ? parsed.events : [parsed]) as SimulationRequest[];
      return { results: api.callbacks.simulate(list) };
    },
    'POST /__sandbox/oauth/code': (body) => {
      const { userid } = parseSettings(z.object({ userid: z.string().min(1) }).strict(), body, 'oauth request');
      return { code: api.issueOAuthCode(userid) };
    },
  };
}

export function createControl(api: ControlApi) {
  const table = routes(api);
  return async (method: string, path: string, body: Buffer): Promise<{ status: number; body: unknown }> => {
    const route = table[`${method} ${path.replace(/\/$/, '')}`];
    if (!route) return { status: 404, body: { error: `no control route ${method} ${path}`, routes: CONTROL_ROUTES } };
    try {
      const text = body.toString('utf8').trim();
      return { status: 200, body: await route(text ? JSON.parse(text) : undefined) };
    } catch (err) {
      if (err instanceof SettingsError || err instanceof SyntaxError || err instanceof RangeError) {
        return { status: 400, body: { error: err.message } };
      }
      throw err;
    }
  };
}
