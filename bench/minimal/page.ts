/**
 * The minimal app's page (see server.ts): camera captured on load (warm, as Parley's preview is), then Join
 * sends `create or join`. The newcomer makes one plain RTCPeerConnection when the server answers `joined`
 * and offers; the person already there answers when the offer arrives. Candidates trickle through the same
 * relay. The remote video goes into a `<figure aria-label="Peer">`, where the benchmark times its first frame.
 * The marks (`minimal:join-sent` ...) are the same points as Parley's, for the same breakdown.
 */
import { io } from 'socket.io-client';
import { CAPTURE_CONSTRAINTS } from '../../src/web/media.js';

declare global {
  interface Window {
    leave(): void;
  }
}

type Message =
  { type: 'offer' | 'answer'; sdp: string } | { type: 'candidate'; candidate: RTCIceCandidateInit };

const socket = io({ transports: ['websocket'] });
const join = document.querySelector('button');
const roomField = document.querySelector('input');
let pc: RTCPeerConnection | undefined;
let figure: HTMLElement | undefined;
let early: RTCIceCandidateInit[] = [];

let camera = new MediaStream();
void navigator.mediaDevices.getUserMedia(CAPTURE_CONSTRAINTS).then((stream) => {
  camera = stream;
  if (join) join.disabled = false;
});

function connect(): RTCPeerConnection {
  const made = new RTCPeerConnection();
  made.addEventListener('icecandidate', ({ candidate }) => {
    if (candidate) socket.emit('message', { type: 'candidate', candidate: candidate.toJSON() });
  });
  made.addEventListener('track', ({ streams }) => {
    if (figure) return;
    figure = document.createElement('figure');
    figure.setAttribute('aria-label', 'Peer');
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = streams[0] ?? null;
    figure.append(video);
    document.body.append(figure);
  });
  for (const track of camera.getTracks()) made.addTrack(track, camera);
  return made;
}

async function flush(to: RTCPeerConnection): Promise<void> {
  for (const candidate of early.splice(0)) await to.addIceCandidate(candidate);
}

join?.addEventListener('click', () => {
  performance.mark('minimal:join-sent');
  socket.emit('create or join', roomField?.value ?? '');
});

// The page's state, for the benchmark to wait on: `created` once the first person holds the room.
socket.on('created', () => (document.body.dataset.state = 'created'));
socket.on('joined', () => void offer());

async function offer(): Promise<void> {
  performance.mark('minimal:join-ack');
  pc = connect();
  await pc.setLocalDescription(await pc.createOffer());
  socket.emit('message', { type: 'offer', sdp: pc.localDescription?.sdp });
  performance.mark('minimal:offer-sent');
}

// As in the tutorial, what the relay brings is trusted as it is: this page only ever talks to itself.
socket.on('message', (message: Message) => void receive(message));

async function receive(message: Message): Promise<void> {
  switch (message.type) {
    case 'offer': {
      performance.mark('minimal:offer-received');
      pc = connect();
      await pc.setRemoteDescription(message);
      await flush(pc);
      await pc.setLocalDescription(await pc.createAnswer());
      socket.emit('message', { type: 'answer', sdp: pc.localDescription?.sdp });
      performance.mark('minimal:answer-sent');
      return;
    }
    case 'answer':
      performance.mark('minimal:answer-received');
      await pc?.setRemoteDescription(message);
      if (pc) await flush(pc);
      return;
    case 'candidate':
      if (pc?.remoteDescription) await pc.addIceCandidate(message.candidate);
      else early.push(message.candidate);
      return;
  }
}

window.leave = () => {
  socket.emit('bye');
  pc?.close();
  pc = undefined;
  figure?.remove();
  figure = undefined;
  early = [];
  delete document.body.dataset.state;
};
