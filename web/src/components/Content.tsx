import { useState } from 'preact/hooks';
import { MSGTYPES } from '../../../src/archive/msgtypes.ts';
import { formatDuration, formatTime, lang, t, tParts, type TextKey } from '../i18n.ts';
import type { MediaRef } from '../media.ts';
import type { ContentView } from '../types.ts';
import { AudioPart, FilePart, ImagePart, VideoPart, VoicePart } from './MediaParts.tsx';
import { Name, PayloadUrl, RichText } from './RichText.tsx';

/**
 * One message's content as a bubble of its own type, from the reading service's ContentView (text,
 * media with its state, nested items, facts). Chat records and mixed messages expand in place, and
 * their items are drawn by this same component, nested.
 */

export interface ContentContext {
  corpId: string;
  msgid: string;
  conversationId: string;
}

const LABELS = new Map<string, { zh: string; en: string }>(MSGTYPES.map((spec) => [spec.name, spec.label]));

export function typeLabel(msgtype: string): string {
  const label = LABELS.get(msgtype);
  return label ? label[lang()] : msgtype;
}

function num(value: string | number | undefined): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** WeCom's times in payloads are seconds (meeting, calendar); the odd one in ms is taken as it is. */
function payloadTime(value: string | number | undefined): string {
  const n = num(value);
  return n === null || n <= 0 ? '' : formatTime(n < 1e12 ? n * 1000 : n);
}

export function Content({ view, ctx }: { view: ContentView; ctx: ContentContext }) {
  const ref: MediaRef = { corpId: ctx.corpId, msgid: ctx.msgid, path: view.path, conversationId: ctx.conversationId };
  const facts = view.facts ?? {};
  const text = view.text ? <RichText text={view.text} /> : null;
  switch (view.msgtype) {
    case 'text':
    case 'markdown':
      return <div class={`content c-${view.msgtype}`}>{text}</div>;
    case 'image':
    case 'emotion':
      return <div class={`content c-${view.msgtype}`}>{view.media ? <ImagePart media={view.media} mediaRef={ref} label={typeLabel(view.msgtype)} /> : text}</div>;
    case 'voice':
      return (
        <div class="content c-voice">
          {view.media ? <VoicePart media={view.media} mediaRef={ref} seconds={num(facts.play_length)} /> : text}
        </div>
      );
    case 'video':
      return (
        <div class="content c-video">
          {view.media ? <VideoPart media={view.media} mediaRef={ref} /> : null}
          {num(facts.play_length) ? <span class="muted small">{t('voiceSeconds', { seconds: num(facts.play_length)! })}</span> : null}
        </div>
      );
    case 'file':
    case 'voip_doc_share':
      return (
        <div class={`content c-${view.msgtype}`}>
          {view.media ? <FilePart media={view.media} mediaRef={ref} fallbackName={`${ctx.msgid}.bin`} /> : text}
        </div>
      );
    case 'meeting_voice_call':
      return <Card type={view.msgtype} body={text}>{view.media ? <AudioPart media={view.media} mediaRef={ref} /> : null}</Card>;
    case 'chatrecord':
    case 'mixed':
      return <Nested view={view} ctx={ctx} />;
    case 'link':
      return <Card type="link" body={text}>{facts.link_url ? <PayloadUrl url={String(facts.link_url)} /> : null}</Card>;
    case 'docmsg':
      return (
        <Card type="docmsg" body={text}>
          {facts.link_url ? <PayloadUrl url={String(facts.link_url)} /> : null}
          {facts.doc_creator ? <p class="muted small">{tParts('docBy', { who: <Name text={String(facts.doc_creator)} /> })}</p> : null}
        </Card>
      );
    case 'location':
      return (
        <Card type="location" body={text}>
          {facts.latitude !== undefined && facts.longitude !== undefined
            ? <p class="coords">{t('coordinates', { lat: String(facts.latitude), lng: String(facts.longitude) })}</p> : null}
        </Card>
      );
    case 'card':
      return <Card type="card" body={text}>{view.card ? <p>{tParts('cardOf', { name: <Name text={view.card.name ?? view.card.id} /> })}</p> : null}</Card>;
    case 'redpacket':
    case 'external_redpacket':
      return <Card type={view.msgtype} body={text}><RedPacket facts={facts} /></Card>;
    case 'meeting':
      return (
        <Card type="meeting" body={text}>
          <p class="muted small">{num(facts.meetingtype) === 102 ? t('meetingReply') : t('meetingInvite')}</p>
          <TimeRange start={facts.starttime} end={facts.endtime} />
        </Card>
      );
    case 'calendar':
      return <Card type="calendar" body={text}><TimeRange start={facts.starttime} end={facts.endtime} /></Card>;
    case 'vote':
      return <Card type="vote" body={text}><p class="muted small">{num(facts.votetype) === 102 ? t('voteJoin') : t('voteStart')}</p></Card>;
    case 'voiptext':
      return <Card type="voiptext" body={null}><p>{callText(view)}</p></Card>;
    default:
      if (view.media) {
        return <Card type={view.msgtype} body={text}><FilePart media={view.media} mediaRef={ref} fallbackName={`${ctx.msgid}.bin`} /></Card>;
      }
      return <Card type={view.msgtype} body={text} />;
  }
}

/** A titled box for the structured types: cards, links, mini programs, meetings, red packets… */
function Card({ type, body, children }: { type: string; body: preact.ComponentChildren; children?: preact.ComponentChildren }) {
  return (
    <div class={`content card-bubble c-${type}`}>
      <p class="card-type">{LABELS.has(type) ? typeLabel(type) : t('unknownType', { type })}</p>
      {body ? <p class="card-body">{body}</p> : null}
      {children}
    </div>
  );
}

function RedPacket({ facts }: { facts: Record<string, string | number> }) {
  const kinds: Record<number, TextKey> = { 1: 'redpacketNormal', 2: 'redpacketLucky', 3: 'redpacketIncentive' };
  const kind = kinds[num(facts.type) ?? 0];
  const fen = num(facts.totalamount);
  return (
    <p class="redpacket">
      {kind ? <span>{t(kind)} · </span> : null}
      {fen !== null ? t('redpacketAmount', { amount: (fen / 100).toFixed(2), count: num(facts.totalcnt) ?? '?' }) : null}
    </p>
  );
}

function TimeRange({ start, end }: { start?: string | number; end?: string | number }) {
  const from = payloadTime(start);
  const to = payloadTime(end);
  if (!from && !to) return null;
  return <p class="muted small">{from && to ? t('timeRange', { start: from, end: to }) : from || to}</p>;
}

function callText(view: ContentView): string {
  const kinds: Record<number, TextKey> = { 1: 'callVideo', 2: 'callVoice', 3: 'callVideo', 4: 'callVoice' };
  const kind = t(kinds[view.call?.invitetype ?? 0] ?? 'callUnknown');
  const seconds = view.call?.seconds;
  return seconds !== null && seconds !== undefined ? `${kind} · ${t('callLength', { length: formatDuration(seconds * 1000) })}` : kind;
}

/** A chat record or mixed message: its title, then its items, opened in place (nested ones too). */
function Nested({ view, ctx }: { view: ContentView; ctx: ContentContext }) {
  const [open, setOpen] = useState(view.msgtype === 'mixed');
  const id = `nested-${ctx.msgid}-${view.path || 'root'}`.replace(/[^\w-]/g, '_');
  return (
    <div class={`content nested c-${view.msgtype}`}>
      <button type="button" class="nested-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {typeLabel(view.msgtype)}
        {view.text ? <>: <RichText text={view.text} /></> : null}
        <span class="muted small"> · {t('items', { count: view.items.length })}</span>
      </button>
      {open ? (
        <ol id={id} class="nested-items">
          {view.items.map((item) => (
            <li key={item.path} class="nested-item">
              {item.time ? <time class="muted small">{formatTime(item.time)}</time> : null}
              <Content view={item} ctx={ctx} />
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
