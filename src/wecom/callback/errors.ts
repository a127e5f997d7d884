import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';

/**
 * Why a callback was refused, declared once: the reason code the route logs and counts, the code
 * WeCom's own WXBizMsgCrypt libraries return for the same failure (wecom-api.md §5.2, so a reader of
 * WeCom's docs can match them up), and the text for a person. No text ever names the token, the
 * EncodingAESKey or the plaintext: a refused request is hostile until proven otherwise, and the
 * route answers it without detail.
 */
export const CALLBACK_REASONS = {
  bad_key: { sdk: -40004,
    what: { zh: 'EncodingAESKey 不合法', en: 'The EncodingAESKey is malformed' },
    fix: { zh: '从企业微信后台的“接收消息”设置中重新复制 43 个字符的 EncodingAESKey', en: 'Copy the 43-character EncodingAESKey again from the "Receive messages" settings in the WeCom admin console' } },
  bad_token: { sdk: -40001,
    what: { zh: '回调 Token 为空', en: 'The callback Token is empty' },
    fix: { zh: '从企业微信后台的“接收消息”设置中复制 Token', en: 'Copy the Token from the "Receive messages" settings in the WeCom admin console' } },
  missing_param: { sdk: -40001,
    what: { zh: '回调请求缺少参数 {param}', en: 'The callback request lacks the parameter {param}' } },
  bad_signature: { sdk: -40001,
    what: { zh: '回调签名校验失败', en: 'The callback signature does not match' },
    fix: { zh: '确认 Token 与企业微信后台的设置一致', en: 'Check the Token matches the one set in the WeCom admin console' } },
  stale_timestamp: { sdk: -40001,
    what: { zh: '回调时间戳超出允许范围（相差 {skew} 秒）', en: 'The callback timestamp is outside the allowed window ({skew} s off)' },
    fix: { zh: '校准服务器时间（NTP）', en: "Correct the server's clock (NTP)" } },
  replayed_nonce: { sdk: -40001,
    what: { zh: '回调的 nonce 已经用过（重放）', en: 'The callback nonce was already used (a replay)' } },
  too_large: { sdk: -40002,
    what: { zh: '回调请求体过大（{size} 字节，上限 {limit}）', en: 'The callback body is too large ({size} bytes, limit {limit})' } },
  bad_xml: { sdk: -40002,
    what: { zh: '回调 XML 无法解析：{detail}', en: 'The callback XML cannot be parsed: {detail}' } },
  forbidden_dtd: { sdk: -40002,
    what: { zh: '回调 XML 含有 DOCTYPE 或实体声明，已拒绝', en: 'The callback XML carries a DOCTYPE or entity declaration and was refused' } },
  bad_json: { sdk: -40002,
    what: { zh: '回调 JSON 无法解析', en: 'The callback JSON cannot be parsed' } },
  bad_envelope: { sdk: -40002,
    what: { zh: '回调信封格式不对：{detail}', en: 'The callback envelope is malformed: {detail}' } },
  bad_base64: { sdk: -40010,
    what: { zh: '密文不是合法的 Base64', en: 'The ciphertext is not valid Base64' } },
  bad_ciphertext: { sdk: -40007,
    what: { zh: '密文长度不是 AES 分组的整数倍（{size} 字节）', en: 'The ciphertext is not a whole number of AES blocks ({size} bytes)' } },
  bad_padding: { sdk: -40007,
    what: { zh: '解密后的填充不合法', en: 'The decrypted padding is invalid' },
    fix: { zh: '确认 EncodingAESKey 与企业微信后台的设置一致', en: 'Check the EncodingAESKey matches the one set in the WeCom admin console' } },
  bad_length: { sdk: -40008,
    what: { zh: '解密后的消息长度字段不合法', en: 'The length field of the decrypted message is invalid' } },
  bad_encoding: { sdk: -40008,
    what: { zh: '解密后的消息不是合法的 UTF-8', en: 'The decrypted message is not valid UTF-8' } },
  wrong_receive_id: { sdk: -40005,
    what: { zh: '回调的接收方 ID 不是本企业（{expected}）', en: 'The callback is addressed to another receiver, not {expected}' },
    fix: { zh: '确认 CORP_ID（或第三方应用的 suite_id）与配置该回调的企业一致', en: 'Check CORP_ID (or the suite_id for a third-party app) is the corp this callback is configured for' } },
} as const satisfies Record<string, { sdk: number; what: Text; fix?: Text }>;

export type CallbackReason = keyof typeof CALLBACK_REASONS;

/** Every refusal of a callback, whatever the layer: the route switches on `reason`, never on text. */
export class CallbackError extends UserError {
  readonly reason: CallbackReason;
  /** WXBizMsgCrypt's return code for the same failure (-40001 …). */
  readonly sdkCode: number;

  constructor(reason: CallbackReason, vars: Record<string, string | number> = {}) {
    const entry: { what: Text; fix?: Text; sdk: number } = CALLBACK_REASONS[reason];
    super(`wecom_callback_${reason}`, { what: entry.what, fix: entry.fix, vars });
    this.name = 'CallbackError';
    this.reason = reason;
    this.sdkCode = entry.sdk;
  }
}

