import type { EncodingPlan } from './upload-budget.js';

interface SenderState {
  /** A setParameters() is under way: a sender takes one at a time (each needs the last getParameters()). */
  busy: boolean;
  /** What to set once the one under way is done. */
  next: EncodingPlan | undefined;
}

const states = new WeakMap<RTCRtpSender, SenderState>();

/**
 * Sets `plan` on the sender's one encoding with `RTCRtpSender.setParameters`, which needs no renegotiation
 * (https://w3c.github.io/webrtc-pc/#dom-rtcrtpsender-setparameters). Does nothing before the sender is
 * negotiated (no encodings yet) or when the encoding already is as planned; plans that come while one is
 * being set are merged into the latest. Rejections (a browser without `maxFramerate`, a closed connection)
 * go to `onError`; the next plan tries again.
 */
export function applyEncoding(
  sender: RTCRtpSender,
  plan: EncodingPlan,
  onError: (error: unknown) => void,
): void {
  const state = states.get(sender) ?? { busy: false, next: undefined };
  states.set(sender, state);
  if (state.busy) {
    state.next = plan;
    return;
  }
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0];
  if (!encoding || matches(encoding, plan)) return;
  encoding.active = plan.active;
  encoding.maxBitrate = plan.maxBitrate;
  encoding.scaleResolutionDownBy = plan.scaleResolutionDownBy;
  encoding.maxFramerate = plan.maxFramerate;
  state.busy = true;
  sender
    .setParameters(parameters)
    .catch(onError)
    .finally(() => {
      state.busy = false;
      const next = state.next;
      state.next = undefined;
      if (next) applyEncoding(sender, next, onError);
    });
}

function matches(encoding: RTCRtpEncodingParameters, plan: EncodingPlan): boolean {
  return (
    (encoding.active ?? true) === plan.active &&
    encoding.maxBitrate === plan.maxBitrate &&
    (encoding.scaleResolutionDownBy ?? 1) === plan.scaleResolutionDownBy &&
    encoding.maxFramerate === plan.maxFramerate
  );
}
