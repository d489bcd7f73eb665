import type { Language } from './i18n/index.js';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** "4.2 MB", "800 kB", "12 bytes": decimal units, as file managers on phones and macOS show them. */
export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

/** "3.1 MB/s". */
export function formatRate(bytesPerSecond: number, language: Language): string {
  const megabytes = bytesPerSecond / 1e6;
  if (megabytes >= 1)
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: 'megabyte-per-second',
      maximumFractionDigits: 1,
    }).format(megabytes);
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: 'kilobyte-per-second',
    maximumFractionDigits: 0,
  }).format(bytesPerSecond / 1e3);
}

/** "12 s", "3 min": how long is left, rounded up, never "0". */
export function formatDuration(seconds: number, language: Language): string {
  const minutes = seconds / 60;
  const [value, unit] =
    minutes >= 1 ? [Math.ceil(minutes), 'minute'] : [Math.max(1, Math.ceil(seconds)), 'second'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
