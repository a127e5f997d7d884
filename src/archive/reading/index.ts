/**
 * Query services for reading the archive: conversations, one conversation's messages, search. The
 * CLI (search, conversations, conversation) and the web UI use these and nothing else, so both show
 * the same names, times (Asia/Shanghai) and recall marks.
 */
export {
  conversationExists, NoConversationError, NoMessageError, readConversation, type ConversationQuery, type CursorDirection, type ConversationView, type MessageView,
} from './conversation.ts';
export {
  conversationTitle, countConversations, listConversations, participantIds, READING_KINDS,
  type ConversationFilters, type ConversationSummary, type ReadingKind,
} from './conversations.ts';
export { readContent, type CallView, type ContentView, type MediaView } from './content.ts';
export { parseMsgtypes, resolvePerson, resolvePersonIn } from './filters.ts';
export { NameBook, partyLabel, roomLabel, type PartyName, type RoomName } from './names.ts';
export {
  contentText, formatSize, renderConversation, renderMessage, renderPage, SWITCHED, typeLabel,
} from './render.ts';
export { buildArchiveSearch, searchArchive, snippet, type ArchiveSearchQuery, type SearchHit, type SearchResult } from './search.ts';
export { ARCHIVE_TIME_ZONE, formatTime, knownTime, parseTimeBound, parseTimeRange, timeText } from './time.ts';
