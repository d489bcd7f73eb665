/**
 * Runs inside a Chromium page: two PeerSessions joined by an in-page signaling relay, so the negotiation
 * logic is exercised by a real WebRTC stack without any server.
 */
import { PeerSession } from '../../../src/call/index.js';
import { ChatMessage, type Signal } from '../../../src/protocol/index.js';

export interface PairOptions {
  roles: ['offerer' | 'answerer', 'offerer' | 'answerer'];
  media: [boolean, boolean];
}

export interface PairReport {
  /** What each side sent, in order: 'offer', 'answer' or 'candidate'. */
  sent: [string[], string[]];
  signalingStates: [string, string];
  remoteTracks: [string[], string[]];
  chatReceived: [string[], string[]];
  errors: string[];
}

interface Pair {
  sessions: [PeerSession, PeerSession];
  report: () => PairReport;
}

declare global {
  interface Window {
    harness: {
      makePair(options: PairOptions): Promise<void>;
      waitConnected(): Promise<void>;
      chat(from: 0 | 1, text: string): void;
      waitChat(at: 0 | 1, count: number): Promise<void>;
      restartIce(at: 0 | 1): void;
      waitSent(at: 0 | 1, kind: string, count: number): Promise<void>;
      report(): PairReport;
      close(): void;
    };
  }
}

let pair: Pair | undefined;
/** Callbacks re-checking their condition whenever anything happens on either side. */
const wakers: (() => void)[] = [];
const wake = () => wakers.forEach((w) => w());

function current(): Pair {
  if (!pair) throw new Error('makePair first');
  return pair;
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    wakers.push(() => {
      if (check()) resolve();
    });
  });
}

window.harness = {
  async makePair({ roles, media }) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const sent: [string[], string[]] = [[], []];
    const chat: [string[], string[]] = [[], []];
    const errors: string[] = [];
    const ids = ['aaaaaaaaaa', 'bbbbbbbbbb'] as const;
    const sessions: PeerSession[] = [];
    for (const index of [0, 1] as const) {
      const other = index === 0 ? 1 : 0;
      const session = new PeerSession({
        remote: { id: ids[other], name: `peer ${other}` },
        polite: ids[index] < ids[other],
        role: roles[index],
        localStream: media[index] ? stream : null,
        iceServers: [],
        iceTransportPolicy: 'all',
        RTCPeerConnection,
        sendSignal: (signal: Signal) => {
          sent[index].push(signal.kind === 'description' ? signal.description.type : 'candidate');
          wake();
          // Deliver on a later task, as a network would.
          setTimeout(() => void sessions[other]?.handleSignal(signal), 0);
        },
      });
      session.on('phase', wake);
      session.on('error', (error) => errors.push(String(error)));
      session.on('frame', (frame) => {
        const message = typeof frame === 'string' ? ChatMessage.safeParse(JSON.parse(frame)) : undefined;
        if (message?.success) chat[index].push(message.data.text);
        wake();
      });
      sessions.push(session);
    }
    const [a, b] = sessions as [PeerSession, PeerSession];
    pair = {
      sessions: [a, b],
      report: () => ({
        sent,
        signalingStates: [a.pc.signalingState, b.pc.signalingState],
        remoteTracks: [
          a.remoteStream
            .getTracks()
            .map((t) => t.kind)
            .sort(),
          b.remoteStream
            .getTracks()
            .map((t) => t.kind)
            .sort(),
        ],
        chatReceived: chat,
        errors,
      }),
    };
  },
  waitConnected() {
    const { sessions } = current();
    return until(() => sessions.every((s) => s.phase.kind === 'connected'));
  },
  chat(from, text) {
    current().sessions[from].send({ kind: 'chat', id: crypto.randomUUID(), text, sentAt: Date.now() });
  },
  waitChat(at, count) {
    return until(() => current().report().chatReceived[at].length >= count);
  },
  restartIce(at) {
    current().sessions[at].pc.restartIce();
  },
  waitSent(at, kind, count) {
    return until(
      () =>
        current()
          .report()
          .sent[at].filter((k) => k === kind).length >= count,
    );
  },
  report() {
    return current().report();
  },
  close() {
    for (const session of current().sessions) session.close();
  },
};
