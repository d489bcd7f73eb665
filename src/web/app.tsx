import { io } from 'socket.io-client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { SocketTransport } from '../call/index.js';
import { DisplayName, RoomPassword } from '../protocol/index.js';
import { CallView } from './components/call-view.js';
import { Lobby } from './components/lobby.js';
import { nameProblemText, passwordProblemText } from './form-problems.js';
import { useI18n, type Translate } from './i18n/index.js';
import { inAppBrowser } from './in-app-browser.js';
import { joinProblemText } from './join-problem.js';
import { checkRoomName, roomFromLocation, roomLink } from './room-link.js';
import { useCall } from './use-call.js';
import { useConnectivity } from './use-connectivity.js';
import { useLocalMedia } from './use-local-media.js';

const NAME_KEY = 'parley:name';

/**
 * socket.io retries with a growing delay, by default up to 5 s (https://socket.io/docs/v4/client-options/).
 * A call waiting to take its place back after a server restart should not wait that long: retries stay
 * at most about 0.75 s apart (each delay randomised by half, so a restarted server is not met by everyone
 * at once). A retry is one WebSocket handshake, cheap for a server that held 19,000 sockets in the benchmark.
 */
const RECONNECTION = { reconnectionDelay: 250, reconnectionDelayMax: 500 } as const;

function savedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private browsing may forbid storage; the name is then asked for again next time.
  }
}

function defaultName(t: Translate): string {
  const digits = crypto.getRandomValues(new Uint16Array(1))[0] ?? 0;
  return t('lobby.guestName', { number: String(digits % 10_000).padStart(4, '0') });
}

/** Told once: the user agent does not change while the page is open. */
const IN_APP = inAppBrowser(navigator.userAgent);

export function App() {
  const { t } = useI18n();
  // Connect at once, so that pressing Join costs one round trip and no handshake.
  // One transport for the socket, shared by the call and the connectivity check.
  const signaling = useMemo(
    () =>
      new SocketTransport(io({ transports: ['websocket'], ...RECONNECTION }), (event, error) =>
        console.warn('Malformed', event, error),
      ),
    [],
  );
  const media = useLocalMedia();
  const call = useCall(signaling, media.stream);
  // Checked while the lobby is up; in a call, each tile shows its own path and quality instead.
  const connectivity = useConnectivity(signaling, call.state.kind !== 'in-call');
  // Kept as a way to word it, so that it follows a change of language.
  const [formError, setFormError] = useState<((t: Translate) => string) | undefined>(undefined);
  // The name last used, so that after Leave the lobby still says who you are.
  const [name, setName] = useState(() => savedName() || defaultName(t));
  // The room as the person typed it (`Team Meeting`, `周会`), shown in the call header; the server and the
  // link know it by its normalised name (`team-meeting`).
  const [roomShown, setRoomShown] = useState({ room: '', display: '' });

  useEffect(() => () => void signaling.socket.close(), [signaling]);
  useEffect(() => call.setMedia(media.enabled), [call.setMedia, media.enabled.audio, media.enabled.video]);

  // The room password goes from the lobby's field to the join request and the call's memory: never into
  // the URL, storage or a log.
  const join = (roomInput: string, nameInput: string, passwordInput: string) => {
    const room = checkRoomName(roomInput);
    if (!room.ok) return setFormError(() => (t: Translate) => t(`roomName.${room.reason}`));
    const parsedName = DisplayName.safeParse(nameInput);
    if (!parsedName.success) {
      const issue = parsedName.error.issues[0];
      return setFormError(() => (t: Translate) => nameProblemText(issue, t));
    }
    const password = passwordInput === '' ? undefined : RoomPassword.safeParse(passwordInput);
    if (password && !password.success) {
      const issue = password.error.issues[0];
      return setFormError(() => (t: Translate) => passwordProblemText(issue, t));
    }
    setFormError(undefined);
    rememberName(parsedName.data);
    setName(parsedName.data);
    setRoomShown({ room: room.room, display: room.display });
    history.replaceState(null, '', `/r/${encodeURIComponent(room.room)}`);
    void call.join(room.room, parsedName.data, password?.data);
  };

  const { state } = call;
  if (state.kind === 'in-call') {
    return (
      <CallView
        room={roomShown.room === state.room ? roomShown.display : state.room}
        link={roomLink(location, state.room)}
        maxPeers={state.maxPeers}
        locked={state.locked}
        selfName={name}
        media={media}
        peers={state.peers}
        chat={state.chat}
        transfers={state.transfers}
        files={call.files}
        prefetchFiles={call.prefetchFiles}
        reactions={call.reactions}
        onReact={call.react}
        hand={call.hand}
        onHand={call.toggleHand}
        serverLost={!call.serverReachable}
        audioLevels={call.audioLevels}
        onScreen={call.setScreen}
        saver={call.saver}
        quality={call.quality}
        onSend={call.sendChat}
        onLeave={() => void call.leave()}
      />
    );
  }
  return (
    <Lobby
      initialRoom={roomFromLocation(location)}
      initialName={name}
      media={media}
      busy={state.kind === 'joining'}
      error={
        formError?.(t) ?? (state.kind === 'idle' && state.error ? joinProblemText(state.error, t) : undefined)
      }
      inApp={IN_APP}
      passwordProblem={formError === undefined && state.kind === 'idle' ? state.passwordProblem : undefined}
      connectivity={connectivity}
      onJoin={join}
    />
  );
}
