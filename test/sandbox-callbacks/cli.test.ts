import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { optionsFromFlags } from '../../src/cli/commands/sandbox.ts';
import { SIMULATION_TYPES } from '../../src/sandbox/index.ts';
import { UserError } from '../../src/util/errors.ts';

/** The callback flags of `wecom-archive sandbox` become startSandbox options, or a readable error; the docs list them. */

const DEFAULTS = { port: '0', host: '127.0.0.1', seed: '1', size: 'small', tokenTtl: '7200', appCustomer: true, archive: true };

describe('sandbox callback flags', () => {
  it('map to the callbacks options', () => {
    const options = optionsFromFlags({
      ...DEFAULTS, callbackUrl: 'http://127.0.0.1:8080', callbackKinds: 'contacts, customer,archive,app',
      callbackRetryDelays: '10,20,40', eventsPerMinute: '30',
    });
    expect(options.callbacks).toEqual({
      url: 'http://127.0.0.1:8080', kinds: ['contacts', 'customer', 'archive', 'app'], eventsPerMinute: 30,
      delivery: { retryDelaysMs: [10, 20, 40] },
    });
    expect(optionsFromFlags(DEFAULTS).callbacks).toEqual({ url: undefined, kinds: undefined, eventsPerMinute: undefined });
  });

  it('refuse bad values naming the option', () => {
    for (const [flag, flags] of [
      ['--callback-url', { callbackUrl: '127.0.0.1:8080' }],
      ['--callback-kinds', { callbackKinds: 'contacts,inbox' }],
      ['--events-per-minute', { eventsPerMinute: 'lots' }],
      ['--callback-retry-delays', { callbackRetryDelays: '10,-5' }],
    ] as const) {
      const error = (() => {
        try {
          optionsFromFlags({ ...DEFAULTS, ...flags });
        } catch (err) {
          return err;
        }
      })();
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message + JSON.stringify((error as UserError & { vars?: unknown }).vars ?? '')).toContain(flag);
    }
  });
});

describe("the README's sandbox section", () => {
  it('lists every simulated event type and every callback flag', async () => {
    const text = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const type of SIMULATION_TYPES) expect(text).toContain(`| \`${type}\` |`);
    for (const flag of ['--callback-url', '--callback-kinds', '--callback-retry-delays', '--events-per-minute']) expect(text).toContain(flag);
  });
});
