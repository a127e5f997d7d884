import type { CredentialKind } from '../../src/wecom/endpoints.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';

/** A thin client over plain fetch, as a WeCom caller would talk to the sandbox. */
export interface TestClient {
  sandbox: Sandbox;
  token(kind: CredentialKind): Promise<string>;
  get(path: string, params?: Record<string, string | number>, kind?: CredentialKind): Promise<WecomAnswer>;
  post(path: string, body: unknown, kind?: CredentialKind): Promise<WecomAnswer>;
}

export type WecomAnswer = Record<string, any> & { errcode: number; errmsg: string };

export async function fetchJson(url: string, init?: RequestInit): Promise<WecomAnswer> {
  const res = await fetch(url, init);
  return (await res.json()) as WecomAnswer;
}

export function clientFor(sandbox: Sandbox): TestClient {
  const tokens = new Map<CredentialKind, string>();
  const token = async (kind: CredentialKind) => {
    const cached = tokens.get(kind);
    if (cached) return cached;
    const answer = await fetchJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.secrets[kind]}`);
    if (answer.errcode !== 0) throw new Error(`gettoken ${kind}: ${answer.errcode} ${answer.errmsg}`);
    tokens.set(kind, answer.access_token);
    return answer.access_token as string;
  };
  // Like a real client: on an expired or revoked token, fetch a new one and retry once.
  const call = async (kind: CredentialKind, send: (token: string) => Promise<WecomAnswer>) => {
    const answer = await send(await token(kind));
    if (answer.errcode !== 40014 && answer.errcode !== 42001) return answer;
    tokens.delete(kind);
    return send(await token(kind));
  };
  return {
    sandbox,
    token,
    get(path, params = {}, kind = 'app') {
      const rest = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
      return call(kind, (t) => fetchJson(`${sandbox.url}/cgi-bin/${path}?${new URLSearchParams({ access_token: t, ...rest })}`));
    },
    post(path, body, kind = 'customer') {
      return call(kind, (t) => fetchJson(`${sandbox.url}/cgi-bin/${path}?access_token=${t}`, { method: 'POST', body: JSON.stringify(body) }));
    },
  };
}

export async function startClient(options: SandboxOptions = {}): Promise<TestClient> {
  return clientFor(await startSandbox({ seed: 11, size: 'small', ...options }));
}
