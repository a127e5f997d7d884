import type { AddressInfo } from 'node:net';
import { buildServer } from '../../src/server/app.ts';
import { asActor } from '../../src/services/access.ts';
import { listConversations } from '../../src/services/reading.ts';
import { NO_ACCESS_CONTEXT } from '../../src/services/runtime.ts';
import { addUser } from '../../src/services/users.ts';
import type { SyncedStore } from './fixture.ts';

/**
 * A real server over a synced store (the app `serve` builds, on a free port of 127.0.0.1) and the
 * people who sign in to it: an admin, and a manager of one department with a conversation of
 * another department they may not read.
 */
export interface RunningServer {
  url: string;
  admin: Login;
  manager: Login & { department: number; outOfScope: string };
  close(): Promise<void>;
}

export interface Login {
  name: string;
  password: string;
}

/** The sandbox's sales department: its members talk to some of the company's customers, not all. */
const MANAGED_DEPARTMENT = 2;

export async function startServer(store: SyncedStore): Promise<RunningServer> {
  const rt = store.runtime;
  const admin = { name: 'ui-admin', password: 'walk the UI as admin' };
  const manager = { name: 'ui-manager', password: 'walk the UI as manager' };
  await addUser(rt, { ...admin, role: 'admin' });
  await addUser(rt, { ...manager, role: 'manager', departments: [MANAGED_DEPARTMENT] });
  const asManager = asActor(rt, { kind: 'token', tokenId: 'probe', name: 'probe', role: 'manager', corps: [], departments: [MANAGED_DEPARTMENT] }, NO_ACCESS_CONTEXT);
  const theirs = new Set((await listConversations(asManager, { limit: 10_000 })).conversations.map((c) => c.id));
  const outOfScope = (await listConversations(rt, { limit: 10_000 })).conversations.find((c) => !theirs.has(c.id))!.id;
  const app = await buildServer(rt, { publicUrl: 'http://127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, admin, manager: { ...manager, department: MANAGED_DEPARTMENT, outOfScope },
    close: () => app.close(),
  };
}
