import { useState } from 'preact/hooks';
import type { ChatLine, PeerPhase, PeerProblem, RemotePeerView } from '../../call/index.js';
import type { LocalMediaState } from '../use-local-media.js';
import { distinctNames } from '../../protocol/index.js';
import { ChatPanel } from './chat-panel.js';
import { MediaToggles } from './media-toggles.js';
import { VideoTile } from './video-tile.js';

export interface CallViewProps {
  room: string;
  link: string;
  maxPeers: number;
  /** The room is locked with a password. */
  locked: boolean;
  media: LocalMediaState;
  peers: RemotePeerView[];
  chat: readonly ChatLine[];
  /** A problem with the server connection or the call, shown above the tiles. */
  banner: string | undefined;
  onSend: (text: string) => void;
  onLeave: () => void;
}

function phaseStatus(phase: PeerPhase): string | undefined {
  switch (phase.kind) {
    case 'new':
    case 'connecting':
      return 'Connecting…';
    case 'recovering':
      return 'Reconnecting…';
    case 'connected':
    case 'closed':
      return undefined;
    default:
      return phase satisfies never;
  }
}

/** Said instead of the phase: "Connecting…" for ever would hide that nothing is coming. */
function problemText(problem: PeerProblem, name: string): string {
  switch (problem) {
    case 'relay-refused':
      return 'The relay server refused the credentials';
    case 'unreachable':
      return `Could not connect to ${name}`;
    default:
      return problem satisfies never;
  }
}

/** The in-call screen: everyone's tiles, the controls, and the chat. */
export function CallView({
  room,
  link,
  maxPeers,
  locked,
  media,
  peers,
  chat,
  banner,
  onSend,
  onLeave,
}: CallViewProps) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(link).then(() => setCopied(true));
  };
  const alone = peers.length === 0;
  // People whose names look alike get a part of their peer id beside the name, on tiles and in the chat.
  const labels = distinctNames(peers);
  const label = (id: string, name: string) => labels.get(id) ?? name;
  const count = peers.length + 1;

  return (
    <main class="call">
      <header class="call__header">
        <h1 class="brand brand--small">Parley</h1>
        <p class="call__room">
          <span class="call__room-name">{room}</span>{' '}
          <span class="call__count">
            {count} of {maxPeers}
          </span>
          {locked && (
            <>
              {' '}
              <span class="call__lock" title="Only people who know the password can join">
                Password-protected
              </span>
            </>
          )}
        </p>
        <button type="button" class="secondary" onClick={copy}>
          {copied ? 'Link copied' : 'Copy link'}
        </button>
      </header>
      {banner && (
        <p class="banner" role="alert">
          {banner}
        </p>
      )}
      {media.notice && <p class="notice">{media.notice}</p>}
      <section class={`grid grid--${Math.min(count, 9)}`} aria-label="People">
        <VideoTile name="You" self stream={media.stream ?? null} media={media.enabled} />
        {peers.map((peer) => (
          <VideoTile
            key={peer.id}
            name={label(peer.id, peer.name)}
            stream={peer.stream}
            media={peer.media}
            verificationCode={peer.verificationCode}
            verificationChanged={peer.verificationChanged}
            status={peer.problem ? problemText(peer.problem, peer.name) : phaseStatus(peer.phase)}
            link={peer.link}
          />
        ))}
        {alone && (
          <div class="waiting" role="status">
            <p>Waiting for others to join.</p>
            <p class="waiting__link">
              Share this link: <a href={link}>{link}</a>
            </p>
            {locked && <p>They also need the password: tell them separately, not in the link.</p>}
          </div>
        )}
      </section>
      <ChatPanel lines={chat} alone={alone} onSend={onSend} label={label} />
      <nav class="toolbar toolbar--call" aria-label="Call controls">
        <MediaToggles media={media.enabled} available={media.available} onToggle={media.toggle} />
        <button type="button" class="danger" onClick={onLeave}>
          Leave
        </button>
      </nav>
    </main>
  );
}
