import * as z from 'zod/mini';

/**
 * The devices a person can choose in Settings, and the choice remembered in the browser. Device ids are
 * the browser's own (`MediaDeviceInfo.deviceId`), stable for this site across visits.
 */
export type DeviceKind = 'camera' | 'microphone' | 'speaker';

const MEDIA_KINDS = { camera: 'videoinput', microphone: 'audioinput', speaker: 'audiooutput' } as const;

export interface DeviceOption {
  id: string;
  /** The browser's name for it; empty before the person allowed the camera and microphone. */
  label: string;
}

export type DeviceLists = Record<DeviceKind, DeviceOption[]>;

export const NO_DEVICES: DeviceLists = { camera: [], microphone: [], speaker: [] };

export async function listDevices(): Promise<DeviceLists> {
  if (!navigator.mediaDevices?.enumerateDevices) return NO_DEVICES;
  const all = await navigator.mediaDevices.enumerateDevices();
  const of = (kind: DeviceKind) =>
    all
      .filter((device) => device.kind === MEDIA_KINDS[kind] && device.deviceId !== '')
      .map((device) => ({ id: device.deviceId, label: device.label }));
  return { camera: of('camera'), microphone: of('microphone'), speaker: of('speaker') };
}

/** Whether the page can choose where sound plays (`HTMLMediaElement.setSinkId`; not in every browser). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

const DeviceText = z.string().check(z.maxLength(512));
/**
 * What is kept of each choice: the id, and the name, for when the browser hands out new ids (after its site
 * data was cleared, in a private window): the same device is then found by its name. Read back from
 * storage, which anything on this origin may have written: parsed, never trusted.
 */
const Remembered = z.object({ id: DeviceText.check(z.minLength(1)), label: DeviceText });
const RememberedDevices = z.partial(
  z.object({ camera: Remembered, microphone: Remembered, speaker: Remembered }),
);
type RememberedDevices = z.infer<typeof RememberedDevices>;

/** A device id for each kind chosen. */
export type DeviceChoice = Partial<Record<DeviceKind, string>>;

const CHOICE_KEY = 'parley:devices';

function readRemembered(): RememberedDevices {
  try {
    const parsed = RememberedDevices.safeParse(JSON.parse(localStorage.getItem(CHOICE_KEY) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The devices chosen last time, by id. */
export function rememberedDevices(): DeviceChoice {
  const remembered = readRemembered();
  const choice: DeviceChoice = {};
  for (const kind of ['camera', 'microphone', 'speaker'] as const) {
    const id = remembered[kind]?.id;
    if (id) choice[kind] = id;
  }
  return choice;
}

/**
 * The device of `kind` chosen last time as it is listed now: by its id, else by its name; undefined when
 * it is not there (or nothing was chosen).
 */
export function rememberedIn(kind: DeviceKind, lists: DeviceLists): DeviceOption | undefined {
  const remembered = readRemembered()[kind];
  if (!remembered) return undefined;
  const options = lists[kind];
  return (
    options.find((device) => device.id === remembered.id) ??
    (remembered.label ? options.find((device) => device.label === remembered.label) : undefined)
  );
}

export function rememberDevice(kind: DeviceKind, id: string, label: string): void {
  try {
    localStorage.setItem(CHOICE_KEY, JSON.stringify({ ...readRemembered(), [kind]: { id, label } }));
  } catch {
    // Private browsing may forbid storage: the choice then lasts as long as the page.
  }
}

/** The device a live track comes from, as the browser reports it. */
export function deviceOf(track: MediaStreamTrack | undefined): string | undefined {
  return track?.getSettings().deviceId;
}

/** A phone or tablet: touch first, no hover (what CSS calls a coarse pointer). */
export function isTouchDevice(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(hover: none) and (pointer: coarse)').matches;
}
