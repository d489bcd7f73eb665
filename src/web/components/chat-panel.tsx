import { useEffect, useRef, useState } from 'preact/hooks';
import { chatLineKey, type ChatLine, type EarlierChatLine, type TransferView } from '../../call/index.js';
import { linkify } from '../chat-links.js';
import { CHAT_TEXT_MAX } from '../../protocol/index.js';
import { useI18n } from '../i18n/index.js';
import { useOnDemand } from '../use-on-demand.js';
import type { FileActions } from './file-card.js';
import { FilePicker } from './file-picker.js';

export interface ChatPanelProps {
  /** Closed with the Chat button: kept (with its draft and scroll) but not shown. */
  hidden?: boolean;
  lines: readonly ChatLine[];
  /** Files of the call, by their group: the chat's file lines show them. */
  transfers: ReadonlyMap<string, readonly TransferView[]>;
  /** Nobody else is in the room, so there is no one to send to. */
  alone: boolean;
  onSend: (text: string) => void;
  /** Sends files to everyone. */
  onFiles: (files: readonly File[]) => void;
  fileActions: FileActions;
  /** How to show an author: their name, told apart from look-alikes. */
  label: (id: string, name: string) => string;
}

/** The file card (and the SHA-256-checked saving behind it) is loaded with the first file in a call. */
const loadFileCard = () => import('./file-card.js');

/** The files of a drag, or none when it carries something else (text, a link). */
function draggedFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * The room's text chat, and the files sent in it: Send file, dropping files on the chat, or pasting a
 * picture into the message field. Lines are rendered as text: markup in a message is shown, never run.
 */
export function ChatPanel({
  hidden = false,
  lines,
  transfers,
  alone,
  onSend,
  onFiles,
  fileActions,
  label,
}: ChatPanelProps) {
  const { t, formatTime } = useI18n();
  const [draft, setDraft] = useState('');
  const [dropping, setDropping] = useState(false);
  const log = useRef<HTMLOListElement>(null);
  const FileCard = useOnDemand(
    loadFileCard,
    lines.some((line) => line.file !== undefined),
  )?.FileCard;
  // Follows the newest line, and a line that grows after it is drawn (a picture's preview decodes, a card
  // gets its Save link), as long as the log was at its end before: someone who scrolled up to read stays.
  const follow = useRef<ResizeObserver>();
  const height = useRef(0);
  useEffect(() => {
    const element = log.current;
    if (!element) return;
    const toEnd = () => {
      const wasAtEnd = element.scrollTop + element.clientHeight >= height.current - 32;
      if (wasAtEnd) element.scrollTop = element.scrollHeight;
      height.current = element.scrollHeight;
    };
    follow.current ??= new ResizeObserver(toEnd);
    for (const line of element.children) follow.current.observe(line);
    toEnd();
  });
  useEffect(() => () => follow.current?.disconnect(), []);

  const author = (line: ChatLine) => {
    if (line.own) return t('tile.you');
    const earlier = line as Partial<EarlierChatLine>;
    // A name only the sharer vouches for (its author left before we came) is shown as told.
    if (earlier.nameTold && earlier.via)
      return t('chat.nameTold', { name: line.name, via: earlier.via.name });
    return label(line.from, line.name);
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || alone) return;
    onSend(text);
    setDraft('');
  };
  const dragOver = (event: DragEvent) => {
    if (alone || !draggedFiles(event)) return;
    event.preventDefault();
    setDropping(true);
  };
  const drop = (event: DragEvent) => {
    setDropping(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (alone || files.length === 0) return;
    event.preventDefault();
    onFiles(files);
  };
  const paste = (event: ClipboardEvent) => {
    // A picture copied to the clipboard (a screenshot): sent as a file. Text pastes as usual.
    const files = [...(event.clipboardData?.files ?? [])];
    if (alone || files.length === 0) return;
    event.preventDefault();
    onFiles(files);
  };

  return (
    <section
      class={dropping ? 'chat chat--dropping' : 'chat'}
      aria-label={t('chat.label')}
      hidden={hidden}
      onDragOver={dragOver}
      onDragLeave={(event) => {
        if (!(event.currentTarget as Node).contains(event.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={drop}
    >
      <ol class="chat__log" ref={log} role="log" aria-live="polite">
        {lines.map((line, index) => (
          <li
            key={chatLineKey(line)}
            class={`chat__line${line.own ? ' chat__line--self' : ''}${line.earlier ? ' chat__line--earlier' : ''}`}
          >
            {line.earlier && !lines[index - 1]?.earlier && (
              <p class="chat__earlier">{t('chat.earlier', { name: (line as EarlierChatLine).via.name })}</p>
            )}
            <span class="chat__who">{author(line)}</span>{' '}
            <time class="chat__time" dateTime={new Date(line.sentAt).toISOString()}>
              {formatTime(line.sentAt)}
            </time>
            {line.file === undefined || !FileCard ? (
              <p class="chat__text">
                {linkify(line.text).map((segment, at) =>
                  segment.kind === 'link' ? (
                    <a key={at} href={segment.href} target="_blank" rel="noopener noreferrer">
                      {segment.text}
                    </a>
                  ) : (
                    segment.text
                  ),
                )}
              </p>
            ) : (
              <FileCard transfers={transfers.get(line.file) ?? []} actions={fileActions} label={label} />
            )}
          </li>
        ))}
      </ol>
      {dropping && (
        <p class="chat__drop" aria-hidden="true">
          {t('files.drop')}
        </p>
      )}
      <form class="chat__form" onSubmit={submit}>
        <FilePicker label={t('files.send')} disabled={alone} onFiles={onFiles} />
        <input
          type="text"
          aria-label={t('chat.message')}
          placeholder={alone ? t('chat.placeholderAlone') : t('chat.placeholder')}
          maxLength={CHAT_TEXT_MAX}
          autocomplete="off"
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onPaste={paste}
        />
        <button type="submit" disabled={alone || draft.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
