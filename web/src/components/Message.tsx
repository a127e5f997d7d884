import { formatTime, t, tParts } from '../i18n.ts';
import type { MessageItem } from '../types.ts';
import { Content, type ContentContext } from './Content.tsx';
import { Name } from './RichText.tsx';

/**
 * One row of a conversation: a bubble with its sender and time, or a system line (consent given or
 * refused, a company switch, a recall). A recalled message keeps its bubble, marked beside it.
 */
export function Message({ message, corpId, conversationId, highlighted, self }: {
  message: MessageItem; corpId: string; conversationId: string; highlighted: boolean;
  /** Whose view this is (browsing an employee): their messages on the right; else every employee's. */
  self?: string | null;
}) {
  const who = message.sender ? <Name text={message.sender.label} /> : <span>{t('someone')}</span>;
  const time = message.time ? <time dateTime={new Date(message.time).toISOString()}>{formatTime(message.time)}</time> : null;
  const classes = `message${highlighted ? ' highlighted' : ''}`;
  const system = systemLine(message, who);
  if (system) {
    return (
      <div class={`${classes} system`} data-msgid={message.msgid} data-msgtype={message.msgtype ?? ''}>
        <p class="system-line">{system} {time ? <span class="muted small">· {time}</span> : null}</p>
      </div>
    );
  }
  const side = (self ? message.sender?.id === self : message.sender?.kind !== 'customer') ? 'ours' : 'theirs';
  const ctx: ContentContext = { corpId, msgid: message.msgid, conversationId };
  return (
    <article class={`${classes} ${side}`} data-msgid={message.msgid} data-msgtype={message.msgtype ?? ''}
      aria-current={highlighted ? 'true' : undefined} tabIndex={-1}>
      <header class="message-head">
        <span class="sender">{who}</span> {time}
        {message.recalled ? (
          <span class="recall-mark" role="note">
            <span class="badge">{t('recalled')}</span>
            {message.recalled.time ? <span class="muted small"> {t('recalledAt', { time: formatTime(message.recalled.time) })}</span> : null}
          </span>
        ) : null}
      </header>
      <div class={`bubble${message.recalled ? ' was-recalled' : ''}`}>
        {message.status === 'decrypted'
          ? <Content view={message.content} ctx={ctx} />
          : <p class="muted">{t('undecryptable', { status: message.status })}</p>}
      </div>
    </article>
  );
}

function systemLine(message: MessageItem, who: preact.ComponentChild): preact.ComponentChildren | null {
  switch (message.msgtype) {
    case 'agree':
      return tParts('consentAgreeLine', { who });
    case 'disagree':
      return tParts('consentDisagreeLine', { who });
    case 'switch':
      return tParts('switchLine', { who });
    case 'revoke':
      return <>{who} {message.recalls?.found ? t('recallOf') : t('recallOfMissing')}</>;
    default:
      return message.action === 'switch' ? tParts('switchLine', { who }) : null;
  }
}
