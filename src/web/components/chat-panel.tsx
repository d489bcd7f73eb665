import { useEffect, useRef, useState } from 'preact/hooks';
import { chatLineKey, type ChatLine } from '../../call/index.js';
import { CHAT_TEXT_MAX } from '../../protocol/index.js';
import { useI18n } from '../i18n/index.js';

export interface ChatPanelProps {
  lines: readonly ChatLine[];
  /** Nobody else is in the room, so there is no one to send to. */
  alone: boolean;
  onSend: (text: string) => void;
  /** How to show an author: their name, told apart from look-alikes. */
  label: (id: string, name: string) => string;
}

/** The room's text chat. Lines are rendered as text: markup in a message is shown, never run. */
export function ChatPanel({ lines, alone, onSend, label }: ChatPanelProps) {
  const { t, formatTime } = useI18n();
  const [draft, setDraft] = useState('');
  const log = useRef<HTMLOListElement>(null);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [lines.length]);

  const submit = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || alone) return;
    onSend(text);
    setDraft('');
  };

  return (
    <section class="chat" aria-label={t('chat.label')}>
      <ol class="chat__log" ref={log} role="log" aria-live="polite">
        {lines.map((line) => (
          <li key={chatLineKey(line)} class={line.own ? 'chat__line chat__line--self' : 'chat__line'}>
            <span class="chat__who">{line.own ? t('tile.you') : label(line.from, line.name)}</span>{' '}
            <time class="chat__time" dateTime={new Date(line.sentAt).toISOString()}>
              {formatTime(line.sentAt)}
            </time>
            <p class="chat__text">{line.text}</p>
          </li>
        ))}
      </ol>
      <form class="chat__form" onSubmit={submit}>
        <input
          type="text"
          aria-label={t('chat.message')}
          placeholder={alone ? t('chat.placeholderAlone') : t('chat.placeholder')}
          maxLength={CHAT_TEXT_MAX}
          autocomplete="off"
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
        <button type="submit" disabled={alone || draft.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
