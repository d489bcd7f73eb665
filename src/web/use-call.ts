import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import {
  CallClient,
  type CallClientState,
  type CallError,
  type ChatLine,
  type FileSink,
  type LocalView,
  type Reaction,
  type TransferView,
  type RemotePeerView,
  type SignalingConnection,
} from '../call/index.js';
import { browserNetwork } from './browser-network.js';
import { onQualityPreferences, qualityPreferences, type QualityPreferences } from './quality-preferences.js';
import type { JoinProblem } from './join-problem.js';

/** What went wrong with the room password on the last try, so the lobby can point at the field. */
export type PasswordProblem = 'required' | 'wrong' | 'limited';

export type CallState =
  | { kind: 'idle'; error: JoinProblem | undefined; passwordProblem?: PasswordProblem }
  | { kind: 'joining' }
  | {
      kind: 'in-call';
      room: string;
      maxPeers: number;
      /** The room is locked with a password. */
      locked: boolean;
      peers: RemotePeerView[];
      chat: readonly ChatLine[];
      transfers: readonly TransferView[];
    };

const PASSWORD_PROBLEMS: Partial<Record<CallError['code'], PasswordProblem>> = {
  PASSWORD_REQUIRED: 'required',
  WRONG_PASSWORD: 'wrong',
  RATE_LIMITED: 'limited',
};

/** A failed join as facts (the lobby words it in the language chosen), and which field it concerns. */
function joinFailure(
  { code, message, retryAfterMs }: CallError,
  room: string,
): Extract<CallState, { kind: 'idle' }> {
  const problem: JoinProblem = { code, room, message, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  const passwordProblem = PASSWORD_PROBLEMS[code];
  return { kind: 'idle', error: problem, ...(passwordProblem && { passwordProblem }) };
}

/** The client's state as the page draws it; the room last asked for names the room in a failure. */
function toCallState(state: CallClientState, room: string): CallState {
  switch (state.kind) {
    case 'idle':
      return state.error ? joinFailure(state.error, room) : { kind: 'idle', error: undefined };
    case 'joining':
      return { kind: 'joining' };
    case 'in-call':
      return state;
    default:
      return state satisfies never;
  }
}

/**
 * Whether files too large for memory can be written to disk as they arrive: Chromium's File System Access
 * (https://wicg.github.io/file-system-access/#api-showsavefilepicker). The writing is in `disk-sink.ts`,
 * loaded with the first file.
 */
const CAN_SAVE_TO_DISK = typeof window !== 'undefined' && 'showSaveFilePicker' in window;

/**
 * The quality adaptation is on unless the page was opened with `?quality=off`: a switch for `bench:mesh`,
 * which measures the call with and without it in the same run.
 */
const ADAPT_QUALITY =
  typeof location === 'undefined' || new URLSearchParams(location.search).get('quality') !== 'off';

/** How long a reaction stays on a tile. */
const REACTION_SHOWN_MS = 4000;
/** Our own tile's key among the reactions (peer ids are never empty). */
export const SELF_ID = '';

/** The call's state for the UI, and the actions on it: a {@link CallClient} adapted to Preact state. */
export function useCall(signaling: SignalingConnection, localStream: MediaStream | null | undefined) {
  const client = useMemo(
    () =>
      new CallClient({
        signaling,
        RTCPeerConnection,
        network: browserNetwork(),
        canSaveToDisk: CAN_SAVE_TO_DISK,
        adaptQuality: ADAPT_QUALITY,
      }),
    [signaling],
  );
  const [state, setState] = useState<CallState>({ kind: 'idle', error: undefined });
  const [serverReachable, setServerReachable] = useState(client.reachable);

  useEffect(() => {
    // The first RTCPeerConnection in a page starts the browser's WebRTC machinery, which was seen to take
    // 8-13 ms; pay that on the pre-join screen rather than between Join and the first offer. (The call's
    // certificate is made there too, by the client.)
    new RTCPeerConnection().close();
    let room = '';
    const offState = client.on('state', (next) => {
      if (next.kind === 'joining') room = next.room;
      setState(toCallState(next, room));
    });
    const offReachable = client.on('reachable', setServerReachable);
    const offError = client.on('error', (error) => console.warn('Call problem', error));
    const leaveOnExit = () => void client.leave();
    window.addEventListener('pagehide', leaveOnExit);
    return () => {
      offState();
      offReachable();
      offError();
      window.removeEventListener('pagehide', leaveOnExit);
      client.close();
    };
  }, [client]);

  useEffect(() => {
    // Once the camera and microphone are settled (or known to be absent), and again after each call: the
    // next call's offer is made ahead, carrying them.
    if (localStream !== undefined && state.kind === 'idle') client.prepare(localStream);
  }, [client, localStream, state.kind]);

  useEffect(() => {
    // Another camera or microphone chosen during the call: swapped onto every connection.
    if (localStream !== undefined) client.session?.setLocalStream(localStream);
  }, [client, localStream]);

  // Data saver and the chosen upload follow the person from call to call, and reach the call at once.
  const [preferences, setPreferences] = useState<QualityPreferences>(qualityPreferences);
  useEffect(() => onQualityPreferences(setPreferences), []);
  useEffect(() => {
    const quality = client.session?.quality;
    if (state.kind !== 'in-call' || !quality) return;
    quality.saver = preferences.saver;
    quality.chosenBudget = preferences.uploadKbps === undefined ? undefined : preferences.uploadKbps * 1000;
  }, [client, state.kind, preferences]);
  const quality = useMemo(
    () => ({
      /** How we show each person now, and whether the page is hidden. */
      setViews: (views: ReadonlyMap<string, LocalView>, hidden: boolean) =>
        client.session?.quality.setLocalViews(views, hidden),
      dataUsed: () => client.session?.dataUsed() ?? { bytes: 0, bytesPerSecond: 0 },
      statsHistory: (peerId: string) => client.session?.statsHistory(peerId) ?? [],
      /** The video upload in force now, bits per second. */
      budgetBps: () => client.session?.quality.budgetBps,
      machineLoad: () => client.session?.quality.machineLoad,
    }),
    [client],
  );

  const join = useCallback(
    (room: string, name: string, password?: string) => client.join(room, name, password, localStream ?? null),
    [client, localStream],
  );
  const leave = useCallback(() => client.leave(), [client]);
  const sendChat = useCallback((text: string) => client.sendChat(text), [client]);
  const setMedia = useCallback(
    (media: { audio: boolean; video: boolean }) => client.setMedia(media),
    [client],
  );

  const audioLevels = useCallback(() => client.audioLevels(), [client]);
  const setScreen = useCallback((stream: MediaStream | null) => client.session?.setScreen(stream), [client]);

  const [reactions, setReactions] = useState<ReadonlyMap<string, { emoji: string; key: number }>>(
    () => new Map(),
  );
  const [hand, setHandState] = useState(false);
  const showReaction = useCallback((peerId: string, emoji: string) => {
    const key = performance.now();
    setReactions((old) => new Map(old).set(peerId, { emoji, key }));
    setTimeout(
      () =>
        setReactions((old) => {
          if (old.get(peerId)?.key !== key) return old;
          const next = new Map(old);
          next.delete(peerId);
          return next;
        }),
      REACTION_SHOWN_MS,
    );
  }, []);
  useEffect(
    () => client.on('reaction', ({ peerId, emoji }) => showReaction(peerId, emoji)),
    [client, showReaction],
  );
  // A new call starts with the hand down.
  useEffect(() => {
    if (state.kind !== 'in-call') setHandState(false);
  }, [state.kind]);
  const react = useCallback(
    (emoji: Reaction) => {
      client.sendReaction(emoji);
      showReaction(SELF_ID, emoji);
    },
    [client, showReaction],
  );
  const toggleHand = useCallback(() => {
    setHandState((raised) => {
      client.setHand(!raised);
      return !raised;
    });
  }, [client]);

  const prefetchFiles = useCallback(() => void client.session?.files().catch(() => undefined), [client]);
  const files = useMemo(
    () => ({
      send: (files: readonly File[], to?: string) => {
        for (const file of files) void client.sendFile(file, to);
      },
      accept: (key: string, sink: FileSink) => void client.acceptFile(key, sink),
      decline: (key: string) => void client.declineFile(key),
      cancel: (key: string) => void client.cancelFile(key),
    }),
    [client],
  );

  return {
    state,
    serverReachable,
    join,
    leave,
    sendChat,
    setMedia,
    audioLevels,
    setScreen,
    files,
    prefetchFiles,
    reactions,
    react,
    hand,
    toggleHand,
    saver: preferences.saver,
    quality,
  };
}
