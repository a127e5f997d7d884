import type { SandboxContext, SandboxExtension, SandboxExtensionFactory } from '../extension.ts';
import { SandboxArchive } from './archive.ts';
import { archiveConfigLines } from './config.ts';
import type { KeyRotation } from './envelope.ts';
import { ArchiveFaults } from './faults.ts';
import { loadKeyPairs } from './keys.ts';
import { msgauditEndpoints } from './msgaudit.ts';
import { archiveRoutes } from './routes.ts';
import { DAY_MS, Timeline, defaultTimelineEnd } from './timeline.ts';

export { SandboxArchive } from './archive.ts';
export { ArchiveFaults, parseFault, type MessageFault, type ArchiveRoute } from './faults.ts';
export type { ChatDataItem, KeyRotation } from './envelope.ts';
export type { GeneratedMessage, GeneratedMedia } from './generator.ts';
export { standinDecrypt, standinEncrypt, MARKERS } from './cipher.ts';
export { mediaFile, type MediaFile } from './media.ts';
export { RETENTION_MS } from './timeline.ts';

/**
 * The sandbox's chat archive as a sandbox extension: conversations of the generated company with
 * every message type, sealed as WeCom seals them, served to the stand-in Finance SDK, with a 5-day
 * window at the sandbox clock, key rotation, and faults on demand.
 */

export interface ArchiveExtensionOptions {
  /** Messages in the archive. Default: 4,200 (small, about 600 a day) or 1,200,000 (large). */
  messages?: number;
  /** How many days the messages span (default 7, so the oldest have left the 5-day window). */
  spanDays?: number;
  /** End of the timeline. Default: the end of the UTC day of the sandbox clock at start. */
  end?: Date;
  /** publickey_ver values, oldest first; each takes over at an even share of the timeline. Default [1, 2]. */
  keyVersions?: number[];
  /** Cache for the RSA key pairs (default: the system temp dir); false generates fresh ones. */
  keyCacheDir?: string | false;
}

export interface ArchiveExtension extends SandboxExtension {
  archive: SandboxArchive;
  faults: ArchiveFaults;
}

export type ArchiveExtensionFactory = SandboxExtensionFactory & {
  /** Fault switches, usable before and after the sandbox starts. */
  readonly faults: ArchiveFaults;
  /** The running extension, once a sandbox has started it. */
  readonly instance: ArchiveExtension | undefined;
};

/** Over a 7-day timeline, 5 days of which are in the window: `large` keeps ≥ 1,000,000 pullable. */
export const MESSAGES_PER_SIZE = { small: 4_200, large: 1_470_000 } as const;

export function archiveExtension(options: ArchiveExtensionOptions = {}): ArchiveExtensionFactory {
  const faults = new ArchiveFaults();
  let instance: ArchiveExtension | undefined;
  const factory = async (ctx: SandboxContext): Promise<ArchiveExtension> => {
    instance = await createArchiveExtension(ctx, options, faults);
    return instance;
  };
  // defineProperty, not Object.assign: assign would copy the getter's value once instead of the getter.
  return Object.defineProperties(factory, {
    faults: { value: faults, enumerable: true },
    instance: { get: () => instance, enumerable: true },
  }) as unknown as ArchiveExtensionFactory;
}

export async function createArchiveExtension(
  ctx: SandboxContext,
  options: ArchiveExtensionOptions = {},
  faults = new ArchiveFaults(),
): Promise<ArchiveExtension> {
  const spanMs = (options.spanDays ?? 7) * DAY_MS;
  const timeline = new Timeline({
    seed: ctx.seed,
    count: options.messages ?? MESSAGES_PER_SIZE[ctx.size],
    end: options.end?.getTime() ?? defaultTimelineEnd(ctx.now()),
    spanMs,
  });
  const versions = options.keyVersions ?? [1, 2];
  const keys = await loadKeyPairs(ctx.seed, versions, options.keyCacheDir);
  const rotations: KeyRotation[] = versions.map((version, k) => ({
    version,
    from: k === 0 ? Number.NEGATIVE_INFINITY : timeline.start + Math.floor((spanMs * k) / versions.length),
  }));
  const archive = new SandboxArchive({ company: ctx.company, seed: ctx.seed, timeline, keys, rotations, now: ctx.now, faults });
  return {
    name: 'archive',
    archive,
    faults,
    routes: archiveRoutes(ctx, archive),
    endpoints: msgauditEndpoints(archive, ctx.now),
    summary: () => ({ messages: archive.availableCount() }),
    configLines: (configDir, corpId) => archiveConfigLines(configDir, corpId, keys),
    simulation: {
      appendMessages: (count) => archive.append(count),
      approveConsent: (employee, customer, at) => archive.generator.consent.approve(employee, customer, at.getTime()),
      agrees: (employee, customer) => archive.generator.consent.status(employee, customer, archive.timeline.lastAtOrBefore(ctx.now().getTime())).agree,
    },
  };
}
