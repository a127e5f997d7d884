import { rngFor } from '../random.ts';
import { ARCHIVE_STREAM, type Cast, type Conversation } from './cast.ts';
import type { ConsentBook } from './consent.ts';
import { BLOCK } from './schedule.ts';

/**
 * Which conversation each block of BLOCK consecutive messages belongs to: a member with one of their
 * customers, two colleagues, an internal group or a customer group. A chat with a customer who has
 * refused archiving at that moment is not archived (WeCom drops it), so such a block goes to a
 * colleague chat instead — consistent with check_single_agree.
 */

type Kind = 'customer' | 'colleague' | 'internalGroup' | 'customerGroup';

const MIX: ReadonlyArray<readonly [Kind, number]> = [
  ['customer', 0.45], ['colleague', 0.2], ['internalGroup', 0.15], ['customerGroup', 0.2],
];

export class Conversations {
  private readonly kinds: ReadonlyArray<readonly [Kind, number]>;
  private last: { block: number; conversation: Conversation } | undefined;

  constructor(private readonly cast: Cast, private readonly consent: ConsentBook, private readonly seed: number) {
    const { counts } = cast.company;
    const available: Record<Kind, boolean> = {
      customer: cast.reachable.length > 0,
      colleague: cast.licensed.length > 0 && counts.employees > 1,
      internalGroup: counts.internal_groups > 0,
      customerGroup: counts.groups > 0,
    };
    this.kinds = MIX.filter(([kind]) => available[kind]);
    if (this.kinds.length === 0) throw new Error('the sandbox company is too small to hold any conversation');
  }

  ofBlock(block: number): Conversation {
    if (this.last?.block === block) return this.last.conversation;
    const conversation = this.choose(block);
    this.last = { block, conversation };
    return conversation;
  }

  private choose(block: number): Conversation {
    const rng = rngFor(this.seed, ARCHIVE_STREAM.conversation, block);
    const kind = rng.weighted(this.kinds);
    const cast = this.cast;
    if (kind === 'customer') {
      const customer = cast.reachable[rng.int(cast.reachable.length)];
      const employee = rng.pick(cast.licensedFollowers(customer));
      if (this.agreedThroughout(employee, customer, block)) {
        return { kind: 'single', a: cast.employee(employee), b: cast.customer(customer) };
      }
    }
    if (kind === 'internalGroup') return cast.internalGroup(rng.int(cast.company.counts.internal_groups));
    if (kind === 'customerGroup') return cast.customerGroup(rng.int(cast.company.counts.groups));
    return this.colleagues(block, rng.int(2 ** 30));
  }

  private agreedThroughout(employee: number, customer: number, block: number): boolean {
    const first = block * BLOCK;
    return this.consent.status(employee, customer, first).agree && this.consent.status(employee, customer, first + BLOCK - 1).agree;
  }

  private colleagues(block: number, roll: number): Conversation {
    const cast = this.cast;
    const employees = cast.company.counts.employees;
    if (employees < 2) {
      // Only reachable when a disagreeing customer's block needs another home in a one-person company.
      return cast.company.counts.internal_groups > 0 ? cast.internalGroup(block % cast.company.counts.internal_groups) : cast.customerGroup(0);
    }
    const first = cast.licensed[roll % cast.licensed.length];
    const second = (first + 1 + ((roll >>> 10) % (employees - 1))) % employees;
    return { kind: 'single', a: cast.employee(first), b: cast.employee(second) };
  }
}
