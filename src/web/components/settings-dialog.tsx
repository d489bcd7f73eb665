import { useState } from 'preact/hooks';
import { setSoundsEnabled, soundsEnabled } from '../chime.js';
import { canChooseSpeaker, type DeviceKind } from '../devices.js';
import { useI18n } from '../i18n/index.js';
import { useModal } from '../use-modal.js';
import {
  UPLOAD_CHOICES_KBPS,
  formatBitrate,
  qualityPreferences,
  setQualityPreferences,
} from '../quality-preferences.js';
import type { LocalMediaState } from '../use-local-media.js';

export interface SettingsDialogProps {
  media: LocalMediaState;
  onClose: () => void;
}

const LISTS = [
  { kind: 'camera', label: 'media.camera' },
  { kind: 'microphone', label: 'media.microphone' },
  { kind: 'speaker', label: 'settings.speaker' },
] as const satisfies readonly { kind: DeviceKind; label: string }[];

/**
 * Settings, opened from the lobby or the call (a modal dialog, loaded on demand): the camera, microphone
 * and speaker to use, each applied as soon as it is picked, and whether joins and leaves make a sound.
 */
export function SettingsDialog({ media, onClose }: SettingsDialogProps) {
  const { t, language } = useI18n();
  const dialog = useModal();
  const [sounds, setSounds] = useState(soundsEnabled);
  const [upload, setUpload] = useState(() => qualityPreferences().uploadKbps);
  const speakers = canChooseSpeaker();
  return (
    <dialog ref={dialog} class="dialog settings" aria-labelledby="settings-title" onClose={onClose}>
      <h2 id="settings-title">{t('controls.settings')}</h2>
      {LISTS.filter(({ kind }) => kind !== 'speaker' || speakers).map(({ kind, label }) => {
        const options = media.devices[kind];
        const chosen = media.current[kind] ?? options[0]?.id ?? '';
        return (
          <label key={kind} class="field">
            <span>{t(label)}</span>
            <select
              value={chosen}
              disabled={options.length === 0}
              onChange={(event) => media.choose(kind, event.currentTarget.value)}
            >
              {options.length === 0 && <option value="">{t('settings.noneFound')}</option>}
              {options.map((device, index) => (
                <option key={device.id} value={device.id}>
                  {device.label || t('settings.unnamed', { device: t(label), number: index + 1 })}
                </option>
              ))}
            </select>
          </label>
        );
      })}
      <label class="field">
        <span>{t('settings.upload')}</span>
        <select
          value={upload === undefined ? '' : String(upload)}
          aria-describedby="settings-upload-hint"
          onChange={(event) => {
            const chosen = UPLOAD_CHOICES_KBPS.find((kbps) => String(kbps) === event.currentTarget.value);
            setUpload(chosen);
            setQualityPreferences({ uploadKbps: chosen });
          }}
        >
          <option value="">{t('settings.uploadDefault')}</option>
          {UPLOAD_CHOICES_KBPS.map((kbps) => (
            <option key={kbps} value={String(kbps)}>
              {formatBitrate(kbps * 1000, language)}
            </option>
          ))}
        </select>
        <small id="settings-upload-hint" class="field__hint">
          {t('settings.uploadHint')}
        </small>
      </label>
      <label class="settings__check">
        <input
          type="checkbox"
          checked={sounds}
          onChange={(event) => {
            setSounds(event.currentTarget.checked);
            setSoundsEnabled(event.currentTarget.checked);
          }}
        />
        <span>{t('notice.sounds')}</span>
      </label>
      <form method="dialog">
        <button type="submit">{t('settings.close')}</button>
      </form>
    </dialog>
  );
}
