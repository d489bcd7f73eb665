import { useEffect, useState } from 'preact/hooks';
import type { FileSink, TransferView } from '../../call/index.js';
import { KEPT_TYPES } from '../../call/files/file-sink.js';
import { chooseDiskSink } from '../disk-sink.js';
import { formatBytes, formatDuration, formatRate } from '../file-sizes.js';
import { useI18n, type Language, type Translate } from '../i18n/index.js';
import { safeFileName } from '../safe-file-name.js';

/** What a person can do about a transfer from its card. */
export interface FileActions {
  /** Takes a file too large for memory into a place on disk the person chose. */
  accept: (key: string, sink: FileSink) => void;
  decline: (key: string) => void;
  cancel: (key: string) => void;
}

export interface FileCardProps {
  /** The transfers of one file: one per recipient when we send it, the one to us when we receive it. */
  transfers: readonly TransferView[];
  actions: FileActions;
  /** How to show a person: their name, told apart from look-alikes. */
  label: (id: string, name: string) => string;
}

/**
 * A file in the chat: its name (as text), size, and for each person it goes to, its progress, speed and
 * time left, or how it ended. A file received whole and intact gets a link to save it under a safe name;
 * nothing is opened by itself, and a picture is previewed only once it decodes as one.
 */
export function FileCard({ transfers, actions, label }: FileCardProps) {
  const { t, language } = useI18n();
  const first = transfers[0];
  if (!first) return null;
  const incoming = first.direction === 'in';
  // Shown as it will be saved: no folders, no bidirectional overrides that make "exe.pdf" of "fdp.exe".
  const name = safeFileName(first.name);
  return (
    <div class="file">
      <p class="file__head">
        <span class="file__name">{name}</span>{' '}
        <span class="file__size">{formatBytes(first.size, language)}</span>
      </p>
      {incoming && first.file && <ReceivedFile transfer={first} file={first.file} />}
      <ul class="file__rows">
        {transfers.map((transfer) => (
          <li key={transfer.key} class="file__row">
            <TransferRow
              transfer={transfer}
              name={label(transfer.peer.id, transfer.peer.name)}
              actions={actions}
              t={t}
              language={language}
              several={transfers.length > 1}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReceivedFile({ transfer, file }: { transfer: TransferView; file: Blob }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string>();
  const [previewable, setPreviewable] = useState(false);
  useEffect(() => {
    const made = URL.createObjectURL(file);
    setUrl(made);
    let live = true;
    if (KEPT_TYPES.test(file.type)) {
      const image = new Image();
      image.src = made;
      image.decode().then(
        () => live && setPreviewable(true),
        () => undefined,
      );
    }
    return () => {
      live = false;
      URL.revokeObjectURL(made);
    };
  }, [file]);
  if (!url) return null;
  return (
    <>
      {previewable && (
        <img
          class="file__preview"
          src={url}
          alt={t('files.preview', { name: safeFileName(transfer.name) })}
        />
      )}
      <a class="file__save" href={url} download={safeFileName(transfer.name)}>
        {t('files.save', { name: safeFileName(transfer.name) })}
      </a>
    </>
  );
}

interface TransferRowProps {
  transfer: TransferView;
  /** The other person's name. */
  name: string;
  actions: FileActions;
  t: Translate;
  language: Language;
  /** The file goes to several people: each row names its person. */
  several: boolean;
}

function TransferRow({ transfer, name, actions, t, language, several }: TransferRowProps) {
  const { stage, size, bytes } = transfer;
  const moving = stage === 'transferring' || stage === 'paused' || stage === 'verifying';
  const percent = size === 0 ? 100 : Math.floor((bytes * 100) / size);
  const progressText = t('files.progress', {
    done: formatBytes(bytes, language),
    size: formatBytes(size, language),
  });
  return (
    <>
      {moving && (
        <div
          class="file__bar"
          role="progressbar"
          aria-label={t('files.progressOf', { name: safeFileName(transfer.name) })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={progressText}
        >
          <span style={{ transform: `scaleX(${percent / 100})` }} />
        </div>
      )}
      <p class="file__status">
        {several && <span class="file__person">{name}: </span>}
        {statusText(transfer, name, t, language, progressText)}
      </p>
      <div class="file__actions">
        {stage === 'choosing' && (
          <button type="button" class="secondary" onClick={() => void choosePlace(transfer, actions)}>
            {t('files.choosePlace')}
          </button>
        )}
        {transfer.direction === 'in' && (stage === 'choosing' || moving) && (
          <button type="button" class="secondary" onClick={() => actions.decline(transfer.key)}>
            {t('files.decline')}
          </button>
        )}
        {transfer.direction === 'in' && moving && (
          <button type="button" class="secondary" onClick={() => actions.cancel(transfer.key)}>
            {t('files.cancel')}
          </button>
        )}
        {transfer.direction === 'out' && stage !== 'finished' && (
          <button
            type="button"
            class="secondary"
            aria-label={several ? t('files.cancelFor', { name }) : t('files.cancel')}
            onClick={() => actions.cancel(transfer.key)}
          >
            {t('files.cancel')}
          </button>
        )}
      </div>
    </>
  );
}

/** Asks where to save a file too large for memory (the click's gesture opens the picker) and takes it. */
async function choosePlace(transfer: TransferView, actions: FileActions): Promise<void> {
  const sink = await chooseDiskSink(transfer.name);
  if (sink) actions.accept(transfer.key, sink);
}

function statusText(
  transfer: TransferView,
  name: string,
  t: Translate,
  language: Language,
  progressText: string,
): string {
  const out = transfer.direction === 'out';
  switch (transfer.stage) {
    case 'offered':
      return t('files.waitingFor', { name });
    case 'choosing':
      return t('files.tooLargeForMemory');
    case 'transferring': {
      const { bytesPerSecond: rate, secondsLeft } = transfer;
      if (rate === undefined || secondsLeft === undefined) return progressText;
      return t('files.moving', {
        progress: progressText,
        rate: formatRate(rate, language),
        left: formatDuration(secondsLeft, language),
      });
    }
    case 'paused':
      return t('files.paused', { progress: progressText });
    case 'verifying':
      return t('files.verifying');
    case 'finished':
      break;
    default:
      return transfer.stage satisfies never;
  }
  const outcome = transfer.outcome;
  switch (outcome?.kind) {
    case 'done':
      return out
        ? t('files.delivered', { name })
        : transfer.savedToDisk
          ? t('files.savedToDisk')
          : t('files.intact');
    case 'failed':
      if (outcome.why === 'corrupt') return out ? t('files.corruptOut', { name }) : t('files.corruptIn');
      if (outcome.why === 'write') return out ? t('files.notSavedOut', { name }) : t('files.notSavedIn');
      return t('files.malformed', { name });
    case 'declined':
      if (outcome.by === 'self' && outcome.reason === 'too-large')
        return t('files.tooLargeHere', { name, limit: formatBytes(outcome.limit ?? 0, language) });
      if (outcome.by === 'self' && outcome.reason === 'busy') return t('files.busyHere', { name });
      if (outcome.by === 'self') return t('files.youDeclined');
      if (outcome.reason === 'too-large')
        return t('files.tooLargeFor', { name, limit: formatBytes(outcome.limit ?? 0, language) });
      if (outcome.reason === 'busy') return t('files.busy', { name });
      return t('files.declinedBy', { name });
    case 'cancelled':
      return outcome.by === 'self' ? t('files.youCancelled') : t('files.cancelledBy', { name });
    case 'ended':
      return t('files.left', { name });
    case undefined:
      return '';
    default:
      return outcome satisfies never;
  }
}
