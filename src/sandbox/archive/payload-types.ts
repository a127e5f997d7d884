import type { MsgTypeName } from '../../archive/msgtypes.ts';
import type { Rng } from '../random.ts';
import type { Member } from './cast.ts';
import type { Voice } from './vocabulary.ts';

/**
 * The types a payload builder works with, apart from the builders: payloads.ts builds the plain
 * messages and nested.ts the chatrecord and mixed ones that contain them, so both import these.
 */

export interface MediaFile {
  sdkfileid: string;
  md5sum: string;
  size: number;
}

export interface PayloadContext {
  /** The message's position in the archive (seq - 1). */
  index: number;
  rng: Rng;
  msgtime: number;
  sender: Member;
  /** Everyone else in the conversation. */
  others: Member[];
  voice: Voice;
  /** The showcase slot: chatrecord and mixed then carry one item of every nestable type. */
  showcase: boolean;
  corpName: string;
  nameOf(member: Member): string;
  /** Registers the message's next file (depth first) and returns its id, md5 and size. */
  media(msgtype: MsgTypeName, ext: string, sizeHint: number): MediaFile;
}

export interface Built {
  payload: Record<string, unknown>;
  /** Fields WeCom puts beside the payload (voiceid, voipid). */
  topLevel?: Record<string, unknown>;
}

export type PayloadType = Exclude<MsgTypeName, 'switch' | 'revoke' | 'agree' | 'disagree'>;
