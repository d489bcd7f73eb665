/**
 * A person's own choices about the video they send and receive, kept in the browser and followed by the
 * call in progress: Data saver, and the video upload chosen in Settings (undefined: the server's default).
 */
const SAVER_KEY = 'parley:data-saver';
const UPLOAD_KEY = 'parley:upload-kbps';

/** The uploads Settings offers, kbit/s: from a poor mobile uplink to a fibre line. */
export const UPLOAD_CHOICES_KBPS = [500, 1000, 2500, 5000, 10_000] as const;

export interface QualityPreferences {
  saver: boolean;
  uploadKbps: number | undefined;
}

const listeners = new Set<(preferences: QualityPreferences) => void>();

export function qualityPreferences(): QualityPreferences {
  try {
    const stored = Number(localStorage.getItem(UPLOAD_KEY));
    // Only a value Settings offers: anything else in storage (an old version's, a hand edit) is ignored.
    const uploadKbps = UPLOAD_CHOICES_KBPS.find((choice) => choice === stored);
    return { saver: localStorage.getItem(SAVER_KEY) === 'on', uploadKbps };
  } catch {
    return { saver: false, uploadKbps: undefined };
  }
}

export function setQualityPreferences(change: Partial<QualityPreferences>): void {
  const next = { ...qualityPreferences(), ...change };
  try {
    localStorage.setItem(SAVER_KEY, next.saver ? 'on' : 'off');
    if (next.uploadKbps === undefined) localStorage.removeItem(UPLOAD_KEY);
    else localStorage.setItem(UPLOAD_KEY, String(next.uploadKbps));
  } catch {
    // Private browsing may forbid storage: the choice then lasts as long as the page.
  }
  for (const listener of listeners) listener(next);
}

/** Calls `listener` with every change; returns the function that stops it. */
export function onQualityPreferences(listener: (preferences: QualityPreferences) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "2.5 Mbit/s", "500 kbit/s": how fast video goes, in the units people meet on their connection's bill. */
export function formatBitrate(bitsPerSecond: number, language: string): string {
  const mega = bitsPerSecond >= 1e6;
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: mega ? 'megabit-per-second' : 'kilobit-per-second',
    maximumFractionDigits: mega ? 1 : 0,
  }).format(mega ? bitsPerSecond / 1e6 : bitsPerSecond / 1e3);
}
