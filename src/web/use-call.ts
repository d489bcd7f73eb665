import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  JoinError,
  LobbyIce,
  RoomSession,
  makeCallCertificates,
  SocketTransport,
  type ChatLine,
  type ParleySocket,
  type RemotePeerView,
} from '../call/index.js';

/** Chat lines kept on screen; older ones scroll away for good. */
/** A resume that failed for want of an answer is tried again after this long, while the socket is up. */
const RESUME_RETRY_MS = 2_000;

/** The Network Information API (Chromium, not in TypeScript's DOM types): `change` when the link changes. */
interface NetworkInformation extends EventTarget {
  readonly type?: string;
  readonly effectiveType?: string;
}

/** What went wrong with the room password on the last try, so the lobby can point at the field. */
export type PasswordProblem = 'required' | 'wrong' | 'limited';

export type CallState =
  | { kind: 'idle'; error: string | undefined; passwordProblem?: PasswordProblem }
  | { kind: 'joining' }
  | {
      kind: 'in-call';
      room: string;
      maxPeers: number;
      /** The room is locked with a password. */
      locked: boolean;
      peers: RemotePeerView[];
      chat: readonly ChatLine[];
    };

function joinFailure(error: unknown, room: string): Extract<CallState, { kind: 'idle' }> {
  if (!(error instanceof JoinError)) {
    return { kind: 'idle', error: 'Could not join the room. Check your connection and try again.' };
  }
  const { code } = error.error;
  if (code === 'ROOM_FULL') {
    return {
      kind: 'idle',
      error: `The room “${room}” is full. Try another room, or come back when someone has left.`,
    };
  }
  if (code === 'PASSWORD_REQUIRED') {
    return {
      kind: 'idle',
      error: `The room “${room}” needs a password. Enter it and press Join.`,
      passwordProblem: 'required',
    };
  }
  if (code === 'WRONG_PASSWORD') {
    return { kind: 'idle', error: 'That password is not right. Try again.', passwordProblem: 'wrong' };
  }
  // The server's message says how long to wait.
  if (code === 'RATE_LIMITED') return { kind: 'idle', error: error.message, passwordProblem: 'limited' };
  return { kind: 'idle', error: error.message };
}

/** The kind of link, where the browser says (`wifi`, `cellular`: Android), else its rough speed class. */
function linkOf(connection: NetworkInformation | undefined): string | undefined {
  return connection?.type ?? connection?.effectiveType;
}

/** The call's state for the UI, and the actions on it. One RoomSession at a time. */
export function useCall(socket: ParleySocket, localStream: MediaStream | null | undefined) {
  const [state, setState] = useState<CallState>({ kind: 'idle', error: undefined });
  const [serverReachable, setServerReachable] = useState(true);
  const session = useRef<RoomSession | null>(null);
  /** The next call's DTLS certificate, made on the pre-join screen; each call gets a new one. */
  const nextCertificates = useRef<Promise<RTCCertificate[] | undefined> | undefined>(undefined);
  /** ICE servers for the join's offer, asked for while the person is still on the pre-join screen. */
  const lobbyIce = useRef<LobbyIce | null>(null);
  /** The next call, its first offer made on the pre-join screen so that Join sends at once. */
  const nextSession = useRef<RoomSession | null>(null);
  /** Counts calls ended, so that the next one is prepared after each. */
  const [ended, setEnded] = useState(0);

  const newSession = useCallback(() => {
    const created = new RoomSession({
      transport: new SocketTransport(socket, (event, error) => console.warn('Malformed', event, error)),
      RTCPeerConnection,
      localStream: localStream ?? null,
      certificates: nextCertificates.current,
      earlyIce: () => lobbyIce.current?.current() ?? Promise.resolve(undefined),
    });
    nextCertificates.current = makeCallCertificates(RTCPeerConnection);
    return created;
  }, [socket, localStream]);

  useEffect(() => {
    // The first RTCPeerConnection in a page starts the browser's WebRTC machinery, which was seen to take
    // 8-13 ms; pay that on the pre-join screen rather than between Join and the first offer. The call's
    // certificate is made there too.
    new RTCPeerConnection().close();
    nextCertificates.current = makeCallCertificates(RTCPeerConnection);
  }, []);

  useEffect(() => {
    const ice = new LobbyIce(new SocketTransport(socket));
    lobbyIce.current = ice;
    ice.warm();
    // The request above is not answered while the socket is down: ask again once it is up.
    const warm = () => ice.warm();
    socket.on('connect', warm);
    return () => {
      socket.off('connect', warm);
      if (lobbyIce.current === ice) lobbyIce.current = null;
    };
  }, [socket]);

  useEffect(() => {
    // Once the camera and microphone are settled (or known to be absent): the offer carries them.
    if (localStream === undefined) return;
    const prepared = newSession();
    prepared.prepare();
    nextSession.current = prepared;
    return () => {
      if (nextSession.current !== prepared) return;
      nextSession.current = null;
      prepared.close();
    };
  }, [newSession, localStream, ended]);

  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const down = () => {
      setServerReachable(false);
      clearTimeout(retry);
      session.current?.signalingLost();
    };
    const resume = async () => {
      const current = session.current;
      if (!current) return;
      // Take our place back under the same peer id; the call itself never stopped.
      const outcome = await current.resume();
      if (outcome === 'failed' && socket.connected && session.current === current) {
        retry = setTimeout(() => void resume(), RESUME_RETRY_MS);
      }
    };
    const up = () => {
      setServerReachable(true);
      void resume();
    };
    socket.on('disconnect', down);
    socket.on('connect', up);
    const leaveOnExit = () => void session.current?.leave();
    window.addEventListener('pagehide', leaveOnExit);

    // A new network (Wi-Fi to mobile data, back online) leaves the pair in use dead, which ICE would take
    // seconds to find out: restart at once. `navigator.connection` also reports changes in its bandwidth
    // estimates, which are no reason to restart, so only a change of link type counts (or of speed class,
    // where the browser does not tell the type; the restart is cheap and debounced).
    const connection = (navigator as { connection?: NetworkInformation }).connection;
    let link = linkOf(connection);
    const networkChanged = () => session.current?.networkChanged();
    const connectionChanged = () => {
      const now = linkOf(connection);
      if (now !== link) networkChanged();
      link = now;
    };
    window.addEventListener('online', networkChanged);
    connection?.addEventListener('change', connectionChanged);
    return () => {
      clearTimeout(retry);
      socket.off('disconnect', down);
      socket.off('connect', up);
      window.removeEventListener('pagehide', leaveOnExit);
      window.removeEventListener('online', networkChanged);
      connection?.removeEventListener('change', connectionChanged);
    };
  }, [socket]);

  const join = useCallback(
    async (room: string, name: string, password?: string) => {
      if (session.current) return;
      setState({ kind: 'joining' });
      const current = nextSession.current ?? newSession();
      nextSession.current = null;
      session.current = current;
      current.on('error', (error) => console.warn('Call problem', error));
      try {
        const result = await current.join(room, name, password);
        setState({
          kind: 'in-call',
          room: result.room,
          maxPeers: result.maxPeers,
          locked: result.protected,
          peers: current.peers(),
          chat: [],
        });
        current.on('peers', (peers) => setState((s) => (s.kind === 'in-call' ? { ...s, peers } : s)));
        // After a resume or a rejoin the room may be locked otherwise than when we came in (a restart).
        current.on('room', (room) =>
          setState((s) => (s.kind === 'in-call' ? { ...s, locked: room.protected } : s)),
        );
        current.on('chat', () =>
          setState((s) => (s.kind === 'in-call' ? { ...s, chat: current.chat.lines } : s)),
        );
      } catch (error) {
        current.close();
        session.current = null;
        setState(joinFailure(error, room));
        setEnded((n) => n + 1);
      }
    },
    [newSession],
  );

  const leave = useCallback(async () => {
    const current = session.current;
    session.current = null;
    setState({ kind: 'idle', error: undefined });
    setEnded((n) => n + 1);
    await current?.leave();
  }, []);

  const sendChat = useCallback((text: string) => {
    const current = session.current;
    if (!current) return;
    current.sendChat(text);
    setState((s) => (s.kind === 'in-call' ? { ...s, chat: current.chat.lines } : s));
  }, []);

  const setMedia = useCallback((media: { audio: boolean; video: boolean }) => {
    session.current?.setLocalMedia(media);
  }, []);

  return { state, serverReachable, join, leave, sendChat, setMedia };
}
