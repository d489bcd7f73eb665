import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type {
  ChatLine,
  LocalView,
  MachineLoad,
  MediaSample,
  PeerPhase,
  PeerProblem,
  Reaction,
  RemotePeerView,
  TransferView,
} from '../../call/index.js';
import { useI18n, type Translate } from '../i18n/index.js';
import { mediaNoticeText } from '../media.js';
import type { LocalMediaState } from '../use-local-media.js';
import { distinctNames } from '../../protocol/index.js';
import { usePresenceNotices } from '../use-presence-notices.js';
import { useNotices } from '../use-notices.js';
import { SHORTCUT_KEYS } from '../shortcuts.js';
import { useOnDemand } from '../use-on-demand.js';
import { useShortcuts } from '../use-shortcuts.js';
import { SELF_VOICE, useSpeaking } from '../use-speaking.js';
import { useTabTitle } from '../use-tab-title.js';
import { useUnread } from '../use-unread.js';
import { layoutStage, rectStyle } from '../stage-layout.js';
import { useElementSize } from '../use-element-size.js';
import { canShareScreen, useScreenShare } from '../use-screen-share.js';
import { CallNotices } from './call-notices.js';
import { DeviceControls, deviceNoticeText } from './device-controls.js';
import { ChatPanel } from './chat-panel.js';
import { ReactionControls } from './reaction-controls.js';
import { LineIcon } from './line-icon.js';
import type { FileActions } from './file-card.js';
import { LanguageSelect } from './language-select.js';
import { MediaToggles } from './media-toggles.js';
import { VideoTile } from './video-tile.js';
import { formatBytes } from '../file-sizes.js';
import { setQualityPreferences } from '../quality-preferences.js';
import { useViewReports } from '../use-view-reports.js';

export interface CallQuality {
  setViews: (views: ReadonlyMap<string, LocalView>, hidden: boolean) => void;
  dataUsed: () => { bytes: number; bytesPerSecond: number };
  statsHistory: (peerId: string) => readonly MediaSample[];
  budgetBps: () => number | undefined;
  machineLoad: () => MachineLoad | undefined;
}

export interface CallViewProps {
  room: string;
  link: string;
  maxPeers: number;
  /** The room is locked with a password. */
  locked: boolean;
  /** Our own display name: its initials stand in for our video when the camera is off. */
  selfName: string;
  media: LocalMediaState;
  peers: RemotePeerView[];
  chat: readonly ChatLine[];
  transfers: readonly TransferView[];
  /** Sending files (to everyone, or to one person) and what can be done about each transfer. */
  files: FileActions & { send: (files: readonly File[], to?: string) => void };
  /** Who reacted just now, by peer id (ours under ''), and with what. */
  reactions: ReadonlyMap<string, { emoji: string; key: number }>;
  onReact: (emoji: Reaction) => void;
  /** Our hand is raised. */
  hand: boolean;
  onHand: () => void;
  /** Loads the call's file transfers ahead of the first file (see `CALL_MODULES`). */
  prefetchFiles: () => void;
  /** The connection to the server is lost (the call goes on): said above the tiles. */
  serverLost: boolean;
  /** How loud each remote person's microphone is now, by peer id (read many times a second). */
  audioLevels: () => ReadonlyMap<string, number>;
  /** Puts our shared screen on every connection, or takes it off (`null`). */
  onScreen: (stream: MediaStream | null) => void;
  /** Data saver is on. */
  saver: boolean;
  /** The quality adaptation: how we show each person, and what the call does (Call details). */
  quality: CallQuality;
  onSend: (text: string) => void;
  onLeave: () => void;
}

function phaseStatus(phase: PeerPhase, t: Translate): string | undefined {
  switch (phase.kind) {
    case 'new':
    case 'connecting':
      return t('tile.connecting');
    case 'recovering':
      return t('tile.reconnecting');
    case 'connected':
    case 'closed':
      return undefined;
    default:
      return phase satisfies never;
  }
}

/** Said instead of the phase: "Connecting…" for ever would hide that nothing is coming. */
function problemText(problem: PeerProblem, name: string, t: Translate): string {
  switch (problem) {
    case 'relay-refused':
      return t('tile.relayRefused');
    case 'unreachable':
      return t('tile.unreachable', { name });
    default:
      return problem satisfies never;
  }
}

/** Where the page lays out for a phone (as styles.css does). */
const PHONE = '(max-width: 760px)';

/** The key of our own tile on the stage; peer ids are never empty. */
const SELF_TILE = '';
/** The key of a person's screen on the stage: no peer id holds a space. */
const screenTile = (id: string) => `${id} screen`;
/** A screen has no camera or microphone to be off: nothing to badge. */
const SHOWN = { audio: true, video: true } as const;

const loadShortcutsDialog = () => import('./shortcuts-dialog.js');
const loadCallDetailsDialog = () => import('./call-details-dialog.js');

/**
 * What the call may open later and loads on demand, fetched once the call is drawn: when it is wanted the
 * server may be away (a file sent, Settings opened during an outage), and the call goes on without it.
 */
const CALL_MODULES = [
  loadShortcutsDialog,
  () => import('./settings-dialog.js'),
  () => import('./file-card.js'),
  () => import('./tile-menu-dialog.js'),
  loadCallDetailsDialog,
];
/** After the call's first frames, not in their way. */
const PREFETCH_AFTER_MS = 1500;

/** The in-call screen: everyone's tiles, the controls, and the chat. */
export function CallView({
  room,
  link,
  maxPeers,
  locked,
  selfName,
  media,
  peers,
  chat,
  transfers,
  files,
  prefetchFiles,
  reactions,
  onReact,
  hand,
  onHand,
  serverLost,
  audioLevels,
  onScreen,
  saver,
  quality,
  onSend,
  onLeave,
}: CallViewProps) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(link).then(() => setCopied(true));
  };
  const alone = peers.length === 0;
  // People whose names look alike get a part of their peer id beside the name, on tiles and in the chat.
  const labels = distinctNames(peers);
  const label = (id: string, name: string) => labels.get(id) ?? name;
  const count = peers.length + 1;
  const groups = useMemo(() => groupTransfers(transfers), [transfers]);

  useEffect(() => {
    const timer = setTimeout(() => {
      for (const load of CALL_MODULES) load().catch(() => undefined);
      prefetchFiles();
    }, PREFETCH_AFTER_MS);
    return () => clearTimeout(timer);
  }, [prefetchFiles]);
  const { notices, announce } = useNotices();
  // A device unplugged or refused during the call is said in passing, with the other notices.
  useEffect(() => {
    const notice = media.deviceNotice;
    if (notice) announce((t) => deviceNoticeText(notice, t));
  }, [media.deviceNotice, announce]);
  const screenShare = useScreenShare(onScreen, () => announce((t) => t('screen.failed')));
  const sharing = screenShare.stream !== null;
  const canShare = useMemo(canShareScreen, []);

  const [stageRef, stageSize] = useElementSize<HTMLElement>();
  const [pinned, setPinned] = useState<string>();
  useScreensPinned(peers, label, setPinned, announce);
  // Each screen beside its person's camera; our own only once someone is there to see it.
  const stage = layoutStage({
    ...stageSize,
    ids: [
      SELF_TILE,
      ...(sharing && !alone ? [screenTile(SELF_TILE)] : []),
      ...peers.flatMap((peer) => (peer.screen ? [peer.id, screenTile(peer.id)] : [peer.id])),
    ],
    selfId: SELF_TILE,
    pinned,
  });
  const pinOf = (id: string) =>
    alone
      ? undefined
      : { pinned: pinned === id, toggle: () => setPinned((old) => (old === id ? undefined : id)) };

  usePresenceNotices(peers, label, announce);
  const { voices } = useSpeaking(audioLevels, media.stream?.getAudioTracks()[0]);
  useViewReports(
    quality.setViews,
    new Map(
      peers.map((peer) => [
        peer.id,
        { camera: stage.tiles.get(peer.id)?.rect, screen: stage.tiles.get(screenTile(peer.id))?.rect },
      ]),
    ),
    (id) => pinned === id || pinned === screenTile(id),
    (id) => voices.has(id),
  );
  const [showDetails, setShowDetails] = useState(false);
  const CallDetailsDialog = useOnDemand(loadCallDetailsDialog, showDetails)?.CallDetailsDialog;
  useMutedSpeechNotice(voices.has(SELF_VOICE) && !media.enabled.audio, media.enabled.audio, announce);
  // Open beside the video on a wide screen; closed on a phone, where the video needs the height.
  const [chatOpen, setChatOpen] = useState(() => !matchMedia(PHONE).matches);
  const unread = useUnread(chat, chatOpen);
  useTabTitle(t('call.tabTitle', { room, count, unread }));
  const [showShortcuts, setShowShortcuts] = useState(false);
  const ShortcutsDialog = useOnDemand(loadShortcutsDialog, showShortcuts)?.ShortcutsDialog;
  useShortcuts({
    microphone: () => media.available.audio && media.toggle('audio'),
    camera: () => media.available.video && media.toggle('video'),
    screen: () => canShare && (sharing || !serverLost) && screenShare.toggle(),
    help: () => setShowShortcuts(true),
  });

  return (
    <main class={chatOpen ? 'call' : 'call call--chat-closed'}>
      <header class="call__header">
        <h1 class="brand brand--small">Parley</h1>
        <p class="call__room">
          <span class="call__room-name">{room}</span>{' '}
          <span class="call__count" title={t('call.countTitle', { count, max: maxPeers })}>
            {t('call.count', { count, max: maxPeers })}
          </span>
          {locked && (
            <>
              {' '}
              <span class="call__lock" title={t('call.lockedTitle')}>
                {t('call.locked')}
              </span>
            </>
          )}
        </p>
        {saver && <DataUsed dataUsed={quality.dataUsed} />}
        <LanguageSelect />
        {/* Alone, the waiting card holds the link and its Copy button. */}
        {!alone && (
          <button type="button" class="secondary" onClick={copy}>
            {copied ? t('call.linkCopied') : t('call.copyLink')}
          </button>
        )}
      </header>
      {serverLost && (
        <p class="banner" role="alert">
          {t('call.serverLost')}
        </p>
      )}
      {media.notice && <p class="notice">{mediaNoticeText(media.notice, t, { inCall: true })}</p>}

      <section ref={stageRef} class="stage" aria-label={t('call.people')}>
        <VideoTile
          name={t('tile.you')}
          avatarName={selfName}
          self
          stream={media.stream ?? null}
          media={media.enabled}
          speaking={media.enabled.audio && voices.has(SELF_VOICE)}
          layout={stage.tiles.get(SELF_TILE)}
          pin={pinOf(SELF_TILE)}
          hand={hand}
          reaction={reactions.get(SELF_TILE)}
        />
        {sharing && !alone && (
          <VideoTile
            name={t('screen.yours')}
            self
            screen
            stream={screenShare.stream}
            media={SHOWN}
            layout={stage.tiles.get(screenTile(SELF_TILE))}
            pin={pinOf(screenTile(SELF_TILE))}
          />
        )}
        {peers.map((peer) => (
          <Fragment key={peer.id}>
            <VideoTile
              name={label(peer.id, peer.name)}
              stream={peer.stream}
              media={peer.media}
              verificationCode={peer.verificationCode}
              verificationChanged={peer.verificationChanged}
              status={peer.problem ? problemText(peer.problem, peer.name, t) : phaseStatus(peer.phase, t)}
              link={peer.link}
              speaking={peer.media.audio && voices.has(peer.id)}
              speaker={media.current.speaker}
              layout={stage.tiles.get(peer.id)}
              pin={pinOf(peer.id)}
              onSendFiles={(chosen) => files.send(chosen, peer.id)}
              hand={peer.hand}
              reaction={reactions.get(peer.id)}
            />
            {peer.screen && (
              <VideoTile
                name={t('screen.of', { name: label(peer.id, peer.name) })}
                screen
                stream={peer.screen}
                speaker={media.current.speaker}
                media={SHOWN}
                layout={stage.tiles.get(screenTile(peer.id))}
                pin={pinOf(screenTile(peer.id))}
              />
            )}
          </Fragment>
        ))}
        {stage.waiting && (
          <div class="waiting" role="status" style={rectStyle(stage.waiting)}>
            <p class="waiting__title">{t('call.waiting')}</p>
            <p class="waiting__link">
              {t('call.shareLink')}
              <a href={link}>{link}</a>
            </p>
            <button type="button" class="secondary" onClick={copy}>
              {copied ? t('call.linkCopied') : t('call.copyLink')}
            </button>
            {locked && <p>{t('call.passwordSeparately')}</p>}
          </div>
        )}
      </section>
      <CallNotices notices={notices} />
      {showDetails && CallDetailsDialog && (
        <CallDetailsDialog
          peers={peers}
          label={label}
          history={quality.statsHistory}
          dataUsed={quality.dataUsed}
          budgetBps={quality.budgetBps}
          machineLoad={quality.machineLoad}
          saver={saver}
          onClose={() => setShowDetails(false)}
        />
      )}
      {showShortcuts && ShortcutsDialog && (
        <ShortcutsDialog canShareScreen={canShare} onClose={() => setShowShortcuts(false)} />
      )}
      <ChatPanel
        hidden={!chatOpen}
        lines={chat}
        transfers={groups}
        alone={alone}
        onSend={onSend}
        onFiles={files.send}
        fileActions={files}
        label={label}
      />
      <nav class="toolbar toolbar--call" aria-label={t('call.controls')}>
        <MediaToggles media={media.enabled} available={media.available} onToggle={media.toggle} shortcuts />
        {canShare && (
          <button
            type="button"
            class="share"
            aria-pressed={sharing}
            // Starting needs a negotiation, which goes through the server; stopping is always possible.
            disabled={serverLost && !sharing}
            title={
              sharing
                ? t('shortcuts.tooltip', { action: t('screen.stopTitle'), key: SHORTCUT_KEYS.screen })
                : serverLost
                  ? t('screen.waitsForServer')
                  : t('shortcuts.tooltip', { action: t('controls.shareScreen'), key: SHORTCUT_KEYS.screen })
            }
            aria-keyshortcuts={SHORTCUT_KEYS.screen}
            onClick={screenShare.toggle}
          >
            {t('controls.shareScreen')}
          </button>
        )}
        <ReactionControls hand={hand} onHand={onHand} onReact={onReact} disabled={alone} />
        <ChatToggle open={chatOpen} unread={unread} onToggle={() => setChatOpen((open) => !open)} />
        <DataSaverToggle on={saver} />
        <button
          type="button"
          class="icon-button"
          aria-haspopup="dialog"
          aria-label={t('controls.callDetails')}
          title={t('controls.callDetails')}
          onClick={() => setShowDetails(true)}
        >
          <LineIcon path={DETAILS_ICON} size={20} />
        </button>
        <DeviceControls media={media} />
        <button type="button" class="danger" onClick={onLeave}>
          {t('call.leave')}
        </button>
      </nav>
    </main>
  );
}

/**
 * "You are muted", said once when someone speaks into a muted microphone, and again only after they have
 * unmuted and muted once more: a reminder, not a nag.
 */
function useMutedSpeechNotice(
  speakingWhileMuted: boolean,
  microphoneOn: boolean,
  announce: ReturnType<typeof useNotices>['announce'],
): void {
  const told = useRef(false);
  useEffect(() => {
    if (microphoneOn) told.current = false;
    else if (speakingWhileMuted && !told.current) {
      told.current = true;
      announce((t) => t('notice.youAreMuted', { key: SHORTCUT_KEYS.microphone }));
    }
  }, [speakingWhileMuted, microphoneOn, announce]);
}

/**
 * A screen someone starts sharing fills the stage (it is what they want everyone to look at), and is said
 * in passing. Pressing its Pin button unpins it like any other tile.
 */
function useScreensPinned(
  peers: readonly RemotePeerView[],
  label: (id: string, name: string) => string,
  setPinned: (id: string) => void,
  announce: ReturnType<typeof useNotices>['announce'],
): void {
  const sharing = useRef(new Set<string>());
  useEffect(() => {
    const now = new Set(peers.filter((peer) => peer.screen).map((peer) => peer.id));
    for (const peer of peers) {
      if (!now.has(peer.id) || sharing.current.has(peer.id)) continue;
      setPinned(screenTile(peer.id));
      const name = label(peer.id, peer.name);
      announce((t) => t('notice.sharing', { name }));
    }
    sharing.current = now;
  }, [peers, label, setPinned, announce]);
}

/** The transfers of each file, by the group its chat line names. */
function groupTransfers(transfers: readonly TransferView[]): Map<string, TransferView[]> {
  const groups = new Map<string, TransferView[]>();
  for (const transfer of transfers) {
    const group = groups.get(transfer.group);
    if (group) group.push(transfer);
    else groups.set(transfer.group, [transfer]);
  }
  return groups;
}

const CHAT_ICON = 'M4 5h16v11H9l-5 4z';
/** A gauge with its needle low: using little. */
const SAVER_ICON = 'M4 17a8 8 0 1 1 16 0M12 17l-3.5-4';
/** Three bars of a chart. */
const DETAILS_ICON = 'M5 20v-7M12 20V4M19 20v-11';

/** Data saver on and off; remembered for the next call (see `quality-preferences.ts`). */
function DataSaverToggle({ on }: { on: boolean }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      class="icon-button data-saver"
      aria-pressed={on}
      aria-label={t('controls.dataSaver')}
      title={t('quality.saverTitle')}
      onClick={() => setQualityPreferences({ saver: !on })}
    >
      <LineIcon path={SAVER_ICON} size={20} />
    </button>
  );
}

/** How much data the call has used, and at what rate an hour, read again every couple of seconds. */
function DataUsed({ dataUsed }: { dataUsed: () => { bytes: number; bytesPerSecond: number } }) {
  const { t, language } = useI18n();
  const [used, setUsed] = useState(dataUsed);
  useEffect(() => {
    const timer = setInterval(() => setUsed(dataUsed()), DATA_USED_EVERY_MS);
    return () => clearInterval(timer);
  }, [dataUsed]);
  return (
    <span class="call__data" role="status">
      {t('quality.used', {
        used: formatBytes(used.bytes, language),
        perHour: formatBytes(used.bytesPerSecond * 3600, language),
      })}
    </span>
  );
}
const DATA_USED_EVERY_MS = 2000;

/** Opens and closes the chat; says how many lines arrived while it was closed. */
function ChatToggle({ open, unread, onToggle }: { open: boolean; unread: number; onToggle: () => void }) {
  const { t } = useI18n();
  const label = unread > 0 ? t('chat.unread', { count: unread }) : t('chat.label');
  return (
    <button
      type="button"
      class="icon-button chat-toggle"
      aria-pressed={open}
      aria-label={label}
      title={label}
      onClick={onToggle}
    >
      <LineIcon path={CHAT_ICON} size={20} />
      {unread > 0 && (
        <span class="chat-toggle__count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
