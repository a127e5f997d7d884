import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackError } from './errors.ts';

/**
 * The one XML reader for callbacks, envelopes and decrypted events alike. WeCom's XML is flat
 * `<xml>` with CDATA text, so anything richer is refused before a parser sees it:
 *  - `<!` other than `<![CDATA[` (DOCTYPE, ENTITY, comments): no XXE, no entity expansion, no
 *    billion laughs, whatever the parser's defaults become;
 *  - entities off in the parser too (`&lt;` stays as written: WeCom puts text in CDATA);
 *  - values kept as strings (`parseTagValue: false`): ids with leading zeros and 19-digit MsgIds
 *    survive; the event parser converts the few numeric fields itself;
 *  - nesting capped: WeCom nests three levels at most (ExtAttr → Item → Text).
 */

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const MAX_DEPTH = 8;
const DECLARATION = /<!(?!\[CDATA\[)/;

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  maxNestedTags: MAX_DEPTH,
});

/** The children of the single `<xml>` root, or a `CallbackError` (never any other exception). */
export function parseXmlRoot(text: string): XmlObject {
  if (DECLARATION.test(text)) throw new CallbackError('forbidden_dtd');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CallbackError('bad_xml', { detail: short(valid.err.msg) });
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    throw new CallbackError('bad_xml', { detail: short(err instanceof Error ? err.message : String(err)) });
  }
  if (!isObject(doc)) throw new CallbackError('bad_xml', { detail: 'no root element' });
  const names = Object.keys(doc);
  if (names.length !== 1 || names[0] !== 'xml') throw new CallbackError('bad_xml', { detail: 'the root element must be a single <xml>' });
  const root = doc.xml;
  if (root === '') return {}; // <xml/> or <xml></xml>
  if (!isObject(root)) throw new CallbackError('bad_xml', { detail: 'the root element must be a single <xml>' });
  return root;
}

export function isObject(value: unknown): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parser messages name tags and positions, never values; cut anyway so a log line stays a line. */
function short(message: string): string {
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}

/** Escapes text for a CDATA section: `]]>` is the one sequence it cannot hold. */
export function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}
