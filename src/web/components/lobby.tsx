import { useState } from 'preact/hooks';
import { DISPLAY_NAME_MAX, ROOM_NAME_MAX } from '../../protocol/index.js';
import { newRoomName } from '../room-link.js';
import type { ConnectivityState } from '../use-connectivity.js';
import type { LocalMediaState } from '../use-local-media.js';
import { ConnectivityStatus } from './connectivity-status.js';
import { MediaToggles } from './media-toggles.js';
import { VideoTile } from './video-tile.js';

export interface LobbyProps {
  initialRoom: string;
  initialName: string;
  media: LocalMediaState;
  busy: boolean;
  error: string | undefined;
  /** The pre-join connectivity check; shown beside the form, never in the way of Join. */
  connectivity: ConnectivityState;
  onJoin: (room: string, name: string) => void;
}

/** The pre-join screen: the camera preview, the room and name fields, and Join. */
export function Lobby({ initialRoom, initialName, media, busy, error, connectivity, onJoin }: LobbyProps) {
  const [room, setRoom] = useState(initialRoom);
  const [name, setName] = useState(initialName);

  const submit = (event: Event) => {
    event.preventDefault();
    onJoin(room, name);
  };

  return (
    <main class="lobby">
      <header class="lobby__header">
        <h1 class="brand">Parley</h1>
        <p class="lobby__tagline">
          Video calls straight between browsers. Nothing passes through the server.
        </p>
      </header>
      <div class="lobby__body">
        <div class="lobby__preview">
          <VideoTile name="You" self stream={media.stream ?? null} media={media.enabled} />
          <div class="toolbar">
            <MediaToggles media={media.enabled} available={media.available} onToggle={media.toggle} />
          </div>
          {media.stream === undefined && <p class="hint">Asking for your camera and microphone…</p>}
          {media.notice && (
            <p class="notice" role="status">
              {media.notice}
            </p>
          )}
        </div>
        <form class="lobby__form" onSubmit={submit}>
          <label class="field">
            <span>Room</span>
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
                New room
              </button>
            </span>
          </label>
          <label class="field">
            <span>Your name</span>
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
          <button type="submit" class="primary" disabled={busy || media.stream === undefined}>
            {busy ? 'Joining…' : 'Join'}
          </button>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <ConnectivityStatus state={connectivity} />
        </form>
      </div>
    </main>
  );
}
