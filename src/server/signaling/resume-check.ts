import type { JoinRequest, RoomName } from '../../protocol/index.js';
import type { SignalingContext } from './context.js';
import { type ResumeClaims, openResumeToken } from './resume-token.js';

type Resume = NonNullable<JoinRequest['resume']>;

export type ResumeCheck = { ok: true; claims: ResumeClaims } | { ok: false; message: string };

/**
 * Whether `resume` may take its peer id back in `room`: the token is ours and unexpired, names this peer
 * and this room, and was given out after the peer's last `leave` (if any). The reasons are told apart in
 * the message for people only; the client reacts to all of them alike, by joining afresh.
 */
export async function checkResume(
  context: SignalingContext,
  room: RoomName,
  resume: Resume,
): Promise<ResumeCheck> {
  const claims = openResumeToken(context.config.secret, resume.token);
  if (!claims || claims.peerId !== resume.peerId) {
    return { ok: false, message: 'The resume token is not valid (or has expired). Join without it.' };
  }
  if (claims.room !== room) {
    return { ok: false, message: 'The resume token is for another room. Join without it.' };
  }
  const leftAt = await context.revokedResumes.leftAt(claims.peerId);
  if (leftAt !== undefined && leftAt >= claims.issuedAt) {
    return { ok: false, message: 'You left this room. Join it again.' };
  }
  return { ok: true, claims };
}
