import { useEffect, useRef, useState } from 'preact/hooks';
import { DISPLAY_NAME_MAX, ROOM_NAME_MAX, ROOM_PASSWORD_MAX } from '../../protocol/index.js';
import type { SignalingConnection } from '../../call/index.js';
import { useI18n, type Translate } from '../i18n/index.js';
import type { InAppBrowser } from '../in-app-browser.js';
import { mediaNoticeText } from '../media.js';
import { newRoomName } from '../room-link.js';
import type { PasswordProblem } from '../use-call.js';
import type { ConnectivityState } from '../use-connectivity.js';
import type { LocalMediaState } from '../use-local-media.js';
import { useOnDemand } from '../use-on-demand.js';
import { useTabTitle } from '../use-tab-title.js';
import { ConnectivityStatus } from './connectivity-status.js';
import { DeviceControls, deviceNoticeText } from './device-controls.js';
import { InAppNotice } from './in-app-notice.js';
import { LanguageSelect } from './language-select.js';
import { MediaToggles } from './media-toggles.js';
import { VideoTile } from './video-tile.js';

export interface LobbyProps {
  initialRoom: string;
  initialName: string;
  media: LocalMediaState;
  busy: boolean;
  error: string | undefined;
  /** The app whose built-in browser shows the page, if any: the lobby says first how to leave it. */
  inApp: InAppBrowser | undefined;
  /** The server asked for the room's password, refused it, or refuses guesses for now. */
  passwordProblem: PasswordProblem | undefined;
  /** The pre-join connectivity check; shown beside the form, never in the way of Join. */
  connectivity: ConnectivityState;
  onJoin: (room: string, name: string, password: string) => void;
  /** The page's signaling, for the Test call (shown when the server offers it). */
  signaling?: SignalingConnection | undefined;
}

/** What the line under the password field says: what the last try needs from the person now. */
function passwordHint(problem: PasswordProblem | undefined, t: Translate): string {
  switch (problem) {
    case undefined:
      return t('lobby.passwordHint');
    case 'wrong':
      return t('lobby.passwordHintWrong');
    case 'required':
    case 'limited':
      return t('lobby.passwordHintRequired');
    default:
      return problem satisfies never;
  }
}

// Loaded after the lobby is drawn: it asks the server whether it offers test calls, and shows the button if so.
const loadTestCall = () => import('./test-call-button.js');

/** The pre-join screen: the camera preview, the room, name and password fields, and Join. */
export function Lobby({
  initialRoom,
  initialName,
  media,
  busy,
  error,
  passwordProblem,
  connectivity,
  inApp,
  onJoin,
  signaling,
}: LobbyProps) {
  const { t } = useI18n();
  useTabTitle(t('page.title'));
  const [room, setRoom] = useState(initialRoom);
  const [name, setName] = useState(initialName);
  // Only in this component's memory: gone once the call starts or the page closes.
  const [password, setPassword] = useState('');
  const passwordField = useRef<HTMLInputElement>(null);
  // While a test call holds the connection's place in its private room, Join waits for it to end.
  const [testing, setTesting] = useState(false);
  const TestCall = useOnDemand(loadTestCall, signaling !== undefined)?.TestCall;

  useEffect(() => {
    // Asked for it, or it was wrong: the cursor goes where the answer is typed, a wrong one selected.
    if (passwordProblem === 'required') passwordField.current?.focus();
    if (passwordProblem === 'wrong') passwordField.current?.select();
  }, [passwordProblem, error]);

  const submit = (event: Event) => {
    event.preventDefault();
    onJoin(room, name, password);
  };

  return (
    <main class="lobby">
      {inApp && <InAppNotice app={inApp} link={location.href} />}
      <header class="lobby__header">
        <div class="lobby__title">
          <h1 class="brand">Parley</h1>
          <LanguageSelect />
        </div>
        <p class="lobby__tagline">{t('lobby.tagline')}</p>
      </header>
      <div class="lobby__body">
        <div class="lobby__preview">
          <VideoTile
            name={t('tile.you')}
            avatarName={name}
            self
            stream={media.stream ?? null}
            media={media.enabled}
          />
          <div class="toolbar">
            <MediaToggles media={media.enabled} available={media.available} onToggle={media.toggle} />
            <DeviceControls media={media} />
          </div>
          {media.deviceNotice && (
            <p class="notice" role="status">
              {deviceNoticeText(media.deviceNotice, t)}
            </p>
          )}
          {media.stream === undefined && <p class="hint">{t('lobby.askingDevices')}</p>}
          {media.notice && (
            <p class="notice" role="status">
              {mediaNoticeText(media.notice, t)}
            </p>
          )}
        </div>
        <form class="lobby__form" onSubmit={submit}>
          <label class="field">
            <span>{t('lobby.room')}</span>
            <span class="field__row">
              <input
                type="text"
                name="room"
                value={room}
                maxLength={ROOM_NAME_MAX}
                autocomplete="off"
                autocapitalize="none"
                spellcheck={false}
                required
                onInput={(event) => setRoom(event.currentTarget.value)}
              />
              <button type="button" class="secondary" onClick={() => setRoom(newRoomName())}>
                {t('lobby.newRoom')}
              </button>
            </span>
          </label>
          <label class="field">
            <span>{t('lobby.name')}</span>
            <input
              type="text"
              name="name"
              value={name}
              maxLength={DISPLAY_NAME_MAX}
              autocomplete="nickname"
              required
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </label>
          <div class="field">
            <label for="room-password">{t('lobby.password')}</label>
            <input
              ref={passwordField}
              id="room-password"
              type="password"
              name="room-password"
              value={password}
              maxLength={ROOM_PASSWORD_MAX}
              autocomplete="off"
              aria-describedby="room-password-hint"
              aria-invalid={passwordProblem === 'wrong' || passwordProblem === 'required'}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
            <span id="room-password-hint" class="hint hint--small">
              {passwordHint(passwordProblem, t)}
            </span>
          </div>
          <button type="submit" class="primary" disabled={busy || testing || media.stream === undefined}>
            {busy ? t('lobby.joining') : t('lobby.join')}
          </button>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <ConnectivityStatus state={connectivity} />
          {signaling && TestCall && (
            <TestCall signaling={signaling} stream={media.stream} name={name} onOpenChange={setTesting} />
          )}
        </form>
      </div>
    </main>
  );
}
