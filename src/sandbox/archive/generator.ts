import { msgTypeSpec, type MsgTypeName } from '../../archive/msgtypes.ts';
import type { CompanyView } from '../company/view.ts';
import { hash32, rngFor, type Rng } from '../random.ts';
import { ARCHIVE_STREAM, Cast, isExternal, type Conversation, type GroupChat, type Member } from './cast.ts';
import { ConsentBook } from './consent.ts';
import { Conversations } from './conversations.ts';
import { MediaLibrary } from './media.ts';
import type { PayloadContext, PayloadType } from './payload-types.ts';
import { buildPayload } from './payloads.ts';
import { BLOCK, consentEventAt, showcaseType } from './schedule.ts';
import { toWeComJson } from './serialize.ts';
import type { Timeline } from './timeline.ts';

/**
 * The archive itself: message i (seq i + 1) as a pure function of (seed, i). Nothing is stored, so a
 * million-message archive costs no memory and two runs with the same seed and clock are identical.
 */

export interface GeneratedMedia {
  ordinal: number;
  msgtype: MsgTypeName;
  ext: string;
  /** What the generator asked the byte source for; `size` is what it returned. */
  sizeHint: number;
  size: number;
  md5: string;
  /** A secret (archive-sdk.md §2.5). */
  sdkfileid: string;
}

export interface GeneratedMessage {
  index: number;
  seq: number;
  msgid: string;
  msgtime: number;
  msgtype: MsgTypeName;
  /** The decrypted JSON, as DecryptData would return it. */
  plaintext: string;
  media: GeneratedMedia[];
}

interface Header {
  conversation: Conversation;
  from: Member;
  others: Member[];
}

/** Everyday traffic between showcase slots; agree/disagree/switch only ever come from the showcase. */
const EVERYDAY: ReadonlyArray<readonly [PayloadType | 'revoke', number]> = [
  ['text', 62], ['image', 8], ['voice', 3], ['video', 1.5], ['file', 2.5], ['emotion', 3], ['link', 2], ['weapp', 0.8],
  ['card', 0.8], ['location', 0.8], ['revoke', 1.5], ['mixed', 2], ['chatrecord', 1], ['todo', 0.3], ['vote', 0.3],
  ['collect', 0.2], ['redpacket', 0.5], ['external_redpacket', 0.3], ['meeting', 0.4], ['docmsg', 0.8],
  ['calendar', 0.4], ['meeting_voice_call', 0.2], ['voip_doc_share', 0.1], ['sphfeed', 0.4], ['voiptext', 0.5],
  ['qydiskfile', 0.3],
];
const GROUP_ONLY = new Set<string>(['vote', 'collect']);
const ROBOT_TYPES: PayloadType[] = ['markdown', 'news'];

export class ArchiveGenerator {
  readonly cast: Cast;
  readonly consent: ConsentBook;
  readonly media: MediaLibrary;
  private readonly conversations: Conversations;

  constructor(readonly company: CompanyView, readonly timeline: Timeline, readonly seed: number) {
    this.cast = new Cast(company, seed);
    this.consent = new ConsentBook(this.cast, timeline, seed);
    this.conversations = new Conversations(this.cast, this.consent, seed);
    this.media = new MediaLibrary(seed);
  }

  get count(): number {
    return this.timeline.count;
  }

  message(index: number): GeneratedMessage {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`no message ${index}`);
    const msgtime = this.timeline.msgtime(index);
    const base = { index, seq: index + 1, msgtime, media: [] as GeneratedMedia[] };
    const type = this.typeOf(index);
    if (type === 'switch') {
      const user = this.cast.employee(this.cast.licensed[hash32(this.seed, ARCHIVE_STREAM.sender, index) % this.cast.licensed.length]);
      const msgid = this.msgid(index, false);
      return { ...base, msgid, msgtype: type, plaintext: toWeComJson({ msgid, action: 'switch', time: msgtime, user: user.id }) };
    }
    const consent = type === 'agree' || type === 'disagree' ? this.consentHeader(index) : undefined;
    if ((type === 'agree' || type === 'disagree') && consent) {
      const msgid = this.msgid(index, true);
      const payload = { userid: consent.from.id, [`${type}_time`]: msgtime };
      return { ...base, msgid, msgtype: type, plaintext: this.envelopeJson(msgid, 'send', consent, msgtime, type, { [type]: payload }) };
    }
    const robotGroup = ROBOT_TYPES.includes(type as PayloadType) ? this.robotGroup(index) : undefined;
    const header = robotGroup ? this.robotHeader(robotGroup) : this.header(index);
    const msgid = this.msgid(index, isExternal(header.conversation));
    if (type === 'revoke') {
      const target = this.header(index - 1);
      const pre = this.msgid(index - 1, isExternal(target.conversation));
      return { ...base, msgid, msgtype: type, plaintext: this.envelopeJson(msgid, 'recall', target, msgtime, type, { revoke: { pre_msgid: pre } }) };
    }
    const actual: PayloadType = type === 'agree' || type === 'disagree' ? 'text' : (type as PayloadType);
    const rng = rngFor(this.seed, ARCHIVE_STREAM.content, index);
    const built = buildPayload(actual, this.payloadContext(index, rng, header, msgtime, base.media));
    const spec = msgTypeSpec(actual)!;
    const body: Record<string, unknown> = { ...built.topLevel };
    if (spec.alsoTopLevel && rng.chance(0.5)) Object.assign(body, built.payload);
    else body[spec.payloadKey!] = built.payload;
    return { ...base, msgid, msgtype: actual, plaintext: this.envelopeJson(msgid, 'send', header, msgtime, actual, body) };
  }

  /** msgids look like WeCom's (base64 of a small protobuf) and embed the index, so they never collide. */
  msgid(index: number, external: boolean): string {
    const bytes = Buffer.alloc(17);
    bytes[0] = 0x08;
    bytes.writeUInt32BE(hash32(this.seed, ARCHIVE_STREAM.msgid, index), 1);
    bytes[5] = 0x10;
    bytes.writeUInt32BE(index, 6);
    bytes[10] = 0x18;
    bytes.writeUInt32BE(hash32(this.seed, ARCHIVE_STREAM.msgid, index, 1), 11);
    bytes.writeUInt16BE(this.seed & 0xffff, 15);
    return `${bytes.toString('base64')}${external ? '_external' : ''}`;
  }

  typeOf(index: number): MsgTypeName {
    const showcase = showcaseType(index);
    if (showcase) return showcase;
    const position = index % BLOCK;
    const conversation = this.conversations.ofBlock(Math.floor(index / BLOCK));
    const rng = rngFor(this.seed, ARCHIVE_STREAM.type, index);
    // Robots post only in odd positions and revokes recall the even position before them: a recall
    // therefore never targets a robot, a showcase slot or another recall.
    if (position === 5 && conversation.kind === 'group' && conversation.robot && rng.chance(0.3)) return rng.pick(ROBOT_TYPES);
    const inGroup = conversation.kind === 'group';
    const external = isExternal(conversation);
    const choices = EVERYDAY.filter(([type]) =>
      (type !== 'revoke' || position % 2 === 1) && (inGroup || !GROUP_ONLY.has(type)) && (external || type !== 'external_redpacket'));
    return rng.weighted(choices);
  }

  /** The sender and receivers of an everyday message: someone of the block's conversation. */
  header(index: number): Header {
    const conversation = this.conversations.ofBlock(Math.floor(index / BLOCK));
    const rng = rngFor(this.seed, ARCHIVE_STREAM.sender, index);
    if (conversation.kind === 'single') {
      const [from, to] = rng.chance(0.5) ? [conversation.a, conversation.b] : [conversation.b, conversation.a];
      return { conversation, from, others: [to] };
    }
    const from = rng.pick(conversation.members);
    return { conversation, from, others: conversation.members.filter((m) => m !== from) };
  }

  private robotGroup(index: number): GroupChat | undefined {
    const conversation = this.conversations.ofBlock(Math.floor(index / BLOCK));
    if (conversation.kind === 'group' && conversation.robot) return conversation;
    return this.cast.robotHome();
  }

  private robotHeader(group: GroupChat): Header {
    return { conversation: group, from: group.robot!, others: group.members };
  }

  /** Consent messages come from the customer, in their chat with the member they agreed towards. */
  private consentHeader(index: number): Header | undefined {
    const pair = this.consent.eventPair(consentEventAt(index)!);
    if (!pair) return undefined;
    const customer = this.cast.customer(pair.customer);
    const employee = this.cast.employee(pair.employee);
    return { conversation: { kind: 'single', a: employee, b: customer }, from: customer, others: [employee] };
  }

  private envelopeJson(msgid: string, action: string, header: Header, msgtime: number, msgtype: string, body: Record<string, unknown>): string {
    const roomid = header.conversation.kind === 'group' ? header.conversation.roomid : '';
    return toWeComJson({ msgid, action, from: header.from.id, tolist: header.others.map((m) => m.id), roomid, msgtime, msgtype, ...body });
  }

  private payloadContext(index: number, rng: Rng, header: Header, msgtime: number, media: GeneratedMedia[]): PayloadContext {
    const external = isExternal(header.conversation);
    return {
      index,
      rng,
      msgtime,
      sender: header.from,
      others: header.others,
      voice: header.from.kind === 'customer' ? 'customer' : external ? 'toCustomer' : 'internal',
      showcase: showcaseType(index) !== undefined,
      corpName: this.company.corpName.short,
      nameOf: (member) => this.nameOf(member),
      media: (msgtype, ext, sizeHint) => {
        const ordinal = media.length;
        const file = this.media.describe({ index, ordinal, msgtype, ext, sizeHint });
        const sdkfileid = this.media.sdkfileid({ index, ordinal });
        media.push({ ordinal, msgtype, ext, sizeHint, size: file.size, md5: file.md5, sdkfileid });
        return { sdkfileid, md5sum: file.md5, size: file.size };
      },
    };
  }

  private nameOf(member: Member): string {
    if (member.index < 0) return member.id;
    if (member.kind === 'employee') return this.company.employee(member.index).name;
    if (member.kind === 'customer') return this.company.customer(member.index).name;
    return this.company.robot(member.index).name;
  }
}
