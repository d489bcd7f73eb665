import { useMemo, useState } from 'preact/hooks';
import { isTouchDevice } from '../devices.js';
import { useI18n, type Translate } from '../i18n/index.js';
import type { DeviceNotice, LocalMediaState } from '../use-local-media.js';
import { useOnDemand } from '../use-on-demand.js';

const loadSettingsDialog = () => import('./settings-dialog.js');

/** Three sliders: the usual picture of settings, drawn inline (no icon font to download). */
function SlidersIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
        <path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" />
        <circle cx="15" cy="6" r="2" />
        <circle cx="9" cy="12" r="2" />
        <circle cx="17" cy="18" r="2" />
      </g>
    </svg>
  );
}

/** Settings (the devices, the sounds), and on a phone with two cameras, Switch camera. */
export function DeviceControls({ media }: { media: LocalMediaState }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const SettingsDialog = useOnDemand(loadSettingsDialog, open)?.SettingsDialog;
  const touch = useMemo(isTouchDevice, []);
  return (
    <>
      {touch && media.devices.camera.length > 1 && media.available.video && (
        <button type="button" onClick={media.switchCamera}>
          {t('settings.switchCamera')}
        </button>
      )}
      {/* An icon with its name for screen readers and as a tooltip: the toolbar stays on one line on a phone. */}
      <button
        type="button"
        class="icon-button"
        aria-haspopup="dialog"
        aria-label={t('controls.settings')}
        title={t('controls.settings')}
        onClick={() => setOpen(true)}
      >
        <SlidersIcon />
      </button>
      {open && SettingsDialog && <SettingsDialog media={media} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A device that went away or would not start, in words. */
export function deviceNoticeText(notice: DeviceNotice, t: Translate): string {
  const device = t(notice.device === 'camera' ? 'media.device.camera' : 'media.device.microphone');
  if (notice.kind === 'failed') return t('settings.failed', { device });
  return notice.label
    ? t('settings.unplugged', { device, label: notice.label })
    : t('settings.unpluggedNone', { device });
}
