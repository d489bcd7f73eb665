import { useEffect, useRef, useState } from 'preact/hooks';
import { REACTIONS, type Reaction } from '../../call/index.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { LineIcon } from './line-icon.js';

/** Each reaction's name, for screen readers and tooltips. */
const REACTION_NAMES: Record<Reaction, MessageKey> = {
  '👍': 'reactions.thumbsUp',
  '👏': 'reactions.clap',
  '😂': 'reactions.laugh',
  '❤️': 'reactions.heart',
  '🎉': 'reactions.party',
  '😮': 'reactions.surprised',
};

const HAND_ICON =
  'M8 13V5.5a1.5 1.5 0 0 1 3 0V11m0-6.5V4a1.5 1.5 0 0 1 3 0v7m0-5.5a1.5 1.5 0 0 1 3 0V12m0-3.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1.5a6 6 0 0 1-4.9-2.6L4.2 14a1.6 1.6 0 0 1 2.6-1.9L8 13.5';
const SMILE_ICON = 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01';

export interface ReactionControlsProps {
  hand: boolean;
  onHand: () => void;
  onReact: (emoji: Reaction) => void;
  /** Nobody else is here to see them. */
  disabled: boolean;
}

/**
 * Raise hand (pressed while up), and Reactions: a row of emoji that shows the one chosen on our tile, for
 * everyone, for a few seconds.
 */
export function ReactionControls({ hand, onHand, onReact, disabled }: ReactionControlsProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    // Closed by Escape or a click anywhere else, as a menu is.
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !group.current?.contains(event.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, [open]);
  return (
    <div class="reactions" ref={group}>
      <button
        type="button"
        class="icon-button"
        aria-pressed={hand}
        aria-label={t('reactions.raiseHand')}
        title={hand ? t('reactions.lowerHand') : t('reactions.raiseHand')}
        disabled={disabled && !hand}
        onClick={onHand}
      >
        <LineIcon path={HAND_ICON} size={20} />
      </button>
      <button
        type="button"
        class="icon-button"
        aria-expanded={open}
        aria-label={t('reactions.label')}
        title={t('reactions.label')}
        disabled={disabled}
        onClick={() => setOpen((was) => !was)}
      >
        <LineIcon path={SMILE_ICON} size={20} />
      </button>
      {open && (
        <div class="reactions__menu" role="group" aria-label={t('reactions.label')}>
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              class="reactions__emoji"
              aria-label={t(REACTION_NAMES[emoji])}
              title={t(REACTION_NAMES[emoji])}
              onClick={() => {
                onReact(emoji);
                setOpen(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
