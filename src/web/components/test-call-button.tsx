import { useEffect, useState } from 'preact/hooks';
import type { SignalingConnection } from '../../call/index.js';
import { useI18n } from '../i18n/index.js';
import { useOnDemand } from '../use-on-demand.js';

const loadPanel = () => import('./test-call-panel.js');

export interface TestCallProps {
  signaling: SignalingConnection;
  stream: MediaStream | null | undefined;
  name: string;
  /** Whether a test call is open (Join waits until it is ended). */
  onOpenChange: (open: boolean) => void;
}

/**
 * The lobby's **Test call** button, shown when the server offers test calls (`test-call-status`), and the
 * panel it opens, loaded on demand so that the lobby's first download stays small.
 */
export function TestCall({ signaling, stream, name, onOpenChange }: TestCallProps) {
  const { t } = useI18n();
  const [enabled, setEnabled] = useState(false);
  const [open, setOpen] = useState(false);
  // Counts the openings, so that opening again starts a new test call.
  const [run, setRun] = useState(0);
  useEffect(() => {
    let current = true;
    const ask = () =>
      void signaling.request('test-call-status', {}).then((ack) => {
        if (current) setEnabled(ack.ok && ack.enabled);
      });
    ask();
    // Asked again once the socket is up, should the first question have found it down.
    const stop = signaling.onStatus((status) => status === 'connected' && ask());
    return () => {
      current = false;
      stop();
    };
  }, [signaling]);
  const Panel = useOnDemand(loadPanel, open)?.TestCallPanel;
  const change = (next: boolean) => {
    setOpen(next);
    onOpenChange(next);
    if (next) setRun((n) => n + 1);
  };
  if (!enabled) return null;
  if (!open)
    return (
      <button type="button" class="secondary" disabled={stream === undefined} onClick={() => change(true)}>
        {t('controls.testCall')}
      </button>
    );
  return Panel ? (
    <Panel
      key={run}
      signaling={signaling}
      stream={stream ?? null}
      name={name}
      onClose={() => change(false)}
    />
  ) : (
    <p class="hint">{t('testCall.connecting')}</p>
  );
}
