import { ConversationView } from '../components/ConversationView.tsx';

/** A conversation on its own (where a search hit leads): /conversations/<id>?corp=…&at=<msgid>. */
export function ConversationPage({ id, query }: { id: string; query: URLSearchParams }) {
  return (
    <div class="page single-conversation">
      <ConversationView id={id} corp={query.get('corp') ?? undefined} at={query.get('at')} />
    </div>
  );
}
