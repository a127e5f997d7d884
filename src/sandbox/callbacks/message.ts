import { CALLBACK_EVENTS, type EventKind, type EventSpec } from '../../wecom/callback/events.ts';
import { cdata } from '../../wecom/callback/xml.ts';

/**
 * The decrypted event XML as WeCom writes it (wecom-api.md §5.5/§5.6): the common header, then the
 * fields the catalogue lists for the event, each written the way its field type is read back
 * (lists comma-separated, `items` as `<Item>` children, numbers bare, text in CDATA).
 */

export type EventFieldValue = string | number | readonly string[] | readonly number[];
export type EventFieldsOut = Readonly<Record<string, EventFieldValue | undefined>>;

export interface EventHeaderOut {
  corpId: string;
  /** Unix seconds. */
  createTime: number;
  /** Only for the self-built app's URL. */
  agentId?: number;
}

export function eventXml(kind: EventKind, fields: EventFieldsOut, header: EventHeaderOut): string {
  const spec: EventSpec = CALLBACK_EVENTS[kind];
  const parts = [
    `<ToUserName>${cdata(header.corpId)}</ToUserName>`,
    `<FromUserName>${cdata('sys')}</FromUserName>`,
    `<CreateTime>${header.createTime}</CreateTime>`,
    `<MsgType>${cdata('event')}</MsgType>`,
    `<Event>${cdata(spec.event)}</Event>`,
  ];
  if (spec.changeType) parts.push(`<ChangeType>${cdata(spec.changeType)}</ChangeType>`);
  for (const [name, type] of Object.entries(spec.fields)) {
    const value = fields[name];
    if (value === undefined) continue;
    parts.push(`<${name}>${fieldText(type, value)}</${name}>`);
  }
  for (const name of Object.keys(fields)) {
    if (!Object.hasOwn(spec.fields, name)) throw new RangeError(`${kind} has no field ${name}`);
  }
  if (header.agentId !== undefined) parts.push(`<AgentID>${header.agentId}</AgentID>`);
  return `<xml>${parts.join('')}</xml>`;
}

function fieldText(type: string, value: EventFieldValue): string {
  const list = Array.isArray(value) ? (value as ReadonlyArray<string | number>).map(String) : undefined;
  switch (type) {
    case 'int':
      return String(value);
    case 'ints':
      return (list ?? [String(value)]).join(',');
    case 'items':
      return (list ?? [String(value)]).map((item) => `<Item>${cdata(item)}</Item>`).join('');
    case 'ids':
      return cdata((list ?? [String(value)]).join(','));
    default:
      return cdata(String(value));
  }
}
