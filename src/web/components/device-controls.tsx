import { useMemo, useState } from 'preact/hooks';
import { isTouchDevice } from '../devices.js';
import { useI18n, type Translate } from '../i18n/index.js';
import type { DeviceNotice, LocalMediaState } from '../use-local-media.js';
import { useOnDemand } from '../use-on-demand.js';

const loadSettingsDialog = () => import('./settings-dialog.js');

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
      <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('controls.settings')}
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
