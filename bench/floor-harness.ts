/**
 * The in-page floor for call setup: two RTCPeerConnections in one page, no server, media from the same
 * fake camera. Timed from the start of the offer to the first frame shown by a video element, inside the
 * page. Measured in the same direction as Parley's figure: the answering side's video, seen by the offerer
 * (in Parley the newcomer offers, and times the first frame of the person already there).
 */
import { CAPTURE_CONSTRAINTS } from '../src/web/media.js';

declare global {
  interface Window {
    floor(): Promise<number>;
  }
}

let camera: MediaStream | undefined;

window.floor = async () => {
  // Warm camera, as a Parley user has on the pre-join screen.
  camera ??= await navigator.mediaDevices.getUserMedia(CAPTURE_CONSTRAINTS);
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  document.body.append(video);

  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  // Candidates that arrive before their remote description wait for it, as they would over signaling.
  const early = new Map<RTCPeerConnection, RTCIceCandidate[]>([
    [a, []],
    [b, []],
  ]);
  const deliver = (to: RTCPeerConnection, candidate: RTCIceCandidate | null) => {
    if (!candidate) return;
    if (to.remoteDescription) void to.addIceCandidate(candidate);
    else early.get(to)?.push(candidate);
  };
  const flush = (to: RTCPeerConnection) => {
    for (const candidate of early.get(to)?.splice(0) ?? []) void to.addIceCandidate(candidate);
  };
  a.addEventListener('icecandidate', ({ candidate }) => deliver(b, candidate));
  b.addEventListener('icecandidate', ({ candidate }) => deliver(a, candidate));
  const firstFrame = new Promise<number>((resolve) => {
    a.addEventListener('track', ({ streams }) => {
      if (video.srcObject) return;
      video.srcObject = streams[0] ?? null;
      video.requestVideoFrameCallback((now) => resolve(now));
    });
  });

  const start = performance.now();
  for (const track of camera.getTracks()) a.addTrack(track, camera);
  a.createDataChannel('chat', { negotiated: true, id: 0 });
  b.createDataChannel('chat', { negotiated: true, id: 0 });
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  flush(b);
  for (const track of camera.getTracks()) b.addTrack(track, camera);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  flush(a);
  const shown = await firstFrame;

  a.close();
  b.close();
  video.remove();
  return shown - start;
};
