import * as z from 'zod/mini';

/**
 * Limits on what one signal may carry. A real SDP for audio, video and a data channel is 3-8 KB; a mesh
 * re-offer with simulcast stays far below 64 KB. Candidates are one line of a few hundred bytes.
 * (Candidate grammar: RFC 8839 section 5.1.)
 */
export const SDP_MAX = 64 * 1024;
export const CANDIDATE_MAX = 1024;

/** An offer or an answer (RTCSessionDescriptionInit). Rollback is local and never travels. */
export const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().check(z.maxLength(SDP_MAX, 'SDP too large.')),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

/** A trickled ICE candidate (RTCIceCandidateInit, as `RTCIceCandidate.toJSON()` produces it). */
export const IceCandidate = z.strictObject({
  candidate: z.string().check(z.maxLength(CANDIDATE_MAX, 'Candidate too large.')),
  sdpMid: z.exactOptional(z.nullable(z.string().check(z.maxLength(64)))),
  sdpMLineIndex: z.exactOptional(z.nullable(z.number().check(z.int(), z.minimum(0), z.maximum(1023)))),
  usernameFragment: z.exactOptional(z.nullable(z.string().check(z.maxLength(256)))),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

/**
 * Which RTCPeerConnection between two peers a signal belongs to. Both start at 0; a side that gives up on a
 * broken connection and builds a new one counts up, and the other side, seeing a higher number, replaces its
 * own connection too. Signals of a lower number belong to a connection both sides have left: they are
 * dropped unread. Absent means 0.
 */
export const ConnectionGeneration = z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1));
export type ConnectionGeneration = z.infer<typeof ConnectionGeneration>;

/** What one peer sends another through the server during negotiation. */
export const Signal = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('description'),
    description: SessionDescription,
    generation: z.exactOptional(ConnectionGeneration),
  }),
  z.strictObject({
    kind: z.literal('candidate'),
    candidate: IceCandidate,
    generation: z.exactOptional(ConnectionGeneration),
  }),
]);
export type Signal = z.infer<typeof Signal>;
