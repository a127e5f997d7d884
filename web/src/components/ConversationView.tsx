import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { purposeFor, useSession } from '../session.ts';
import type { ConversationItem, MessageItem } from '../types.ts';
import { Message } from './Message.tsx';
import { PurposeForm, PurposeGate } from './Purpose.tsx';
import { Name } from './RichText.tsx';
import { ErrorNote, Loading } from './States.tsx';
import { VirtualList } from './VirtualList.tsx';

/**
 * One conversation's messages, paged by cursor in both directions around where it opened: the
 * latest page, or (from a search hit) a page with that message in the middle, highlighted.
 */
const PAGE = 60;

interface Pages {
  conversation: ConversationItem;
  messages: MessageItem[];
  before: string | null;
  after: string | null;
  total: number;
}

export function ConversationView(props: { id: string; corp?: string; at?: string | null; self?: string | null }) {
  return (
    <section class="conversation" aria-label={t('messages')}>
      <PurposeGate conversationId={props.id}>{() => <Pages key={`${props.corp}|${props.id}|${props.at}`} {...props} />}</PurposeGate>
    </section>
  );
}

function Pages({ id, corp, at, self }: { id: string; corp?: string; at?: string | null; self?: string | null }) {
  const [pages, setPages] = useState<Pages | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'before' | 'after' | null>(null);
  const [changing, setChanging] = useState(false);
  const loading = useRef(false);
  const session = useSession();

  const first = async () => {
    setError(null);
    try {
      const page = await api.readMessages(id, { corp, limit: PAGE, around: at ?? undefined });
      setPages({ conversation: page.conversation, messages: page.messages, before: page.cursors?.before ?? null, after: page.cursors?.after ?? null, total: page.total });
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void first();
  }, [id, corp, at, session.version]);

  const more = async (direction: 'before' | 'after') => {
    if (!pages || loading.current) return;
    const cursor = direction === 'before' ? pages.before : pages.after;
    if (!cursor) return;
    loading.current = true;
    setBusy(direction);
    try {
      const page = await api.readMessages(id, { corp: pages.conversation.corpId, limit: PAGE, [direction]: cursor });
      setPages((old) => {
        if (!old) return old;
        const known = new Set(old.messages.map((m) => m.msgid));
        const fresh = page.messages.filter((m) => !known.has(m.msgid));
        return direction === 'before'
          ? { ...old, messages: [...fresh, ...old.messages], before: page.cursors?.before ?? null }
          : { ...old, messages: [...old.messages, ...fresh], after: page.cursors?.after ?? null };
      });
    } catch (err) {
      setError(err);
    } finally {
      loading.current = false;
      setBusy(null);
    }
  };

  if (error instanceof api.ApiError && error.status === 428) return <PurposeForm conversationId={id} onDone={() => void first()} />;
  if (error && !pages) return <ErrorNote error={error} retry={() => void first()} />;
  if (!pages) return <Loading />;
  if (changing) return <PurposeForm conversationId={id} onDone={() => setChanging(false)} />;
  const { conversation } = pages;
  const latest = () => {
    const query = new URLSearchParams(window.location.search);
    query.delete('at');
    navigate(`${window.location.pathname}?${query}`);
  };
  return (
    <>
      <header class="conversation-head">
        <h2><Name text={conversation.title} /></h2>
        <p class="muted small">
          {t('messageCount', { count: pages.total })} · {t('purposeCurrent', { text: purposeFor(id) ?? '' })}{' '}
          <button type="button" class="link-button small" onClick={() => setChanging(true)}>{t('purposeChange')}</button>
          {at || pages.after ? <button type="button" class="link-button small" onClick={latest}>{t('jumpLatest')}</button> : null}
        </p>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      <VirtualList
        items={pages.messages}
        keyOf={(m) => m.msgid}
        initialKey={at ?? null}
        label={conversation.title}
        busy={busy !== null}
        onNearStart={() => void more('before')}
        onNearEnd={() => void more('after')}
        header={busy === 'before' ? <Loading label={t('loadingMore')} /> : pages.before ? null : <p class="edge">{t('startOfConversation')}</p>}
        footer={busy === 'after' ? <Loading label={t('loadingMore')} /> : pages.after ? null : <p class="edge">{t('endOfConversation')}</p>}
        render={(m) => <Message message={m} corpId={conversation.corpId} conversationId={conversation.id} highlighted={m.msgid === at} self={self} />}
      />
    </>
  );
}
