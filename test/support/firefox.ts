import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Firefox ESR; never a browser downloaded by a test tool. */
export const FIREFOX_PATH = process.env.PARLEY_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * Prefs seen to work headless on these machines (see the team's testing guide): a fake camera and
 * microphone, no permission prompt, ICE allowed to use loopback addresses, and media allowed to play with
 * sound (as Chromium's `--autoplay-policy=no-user-gesture-required`). Puppeteer's own profile already keeps
 * Firefox from reaching for the internet.
 */
const BASE_PREFS = {
  // As if the person had clicked "Allow" (Chromium's tests grant the permissions to the context).
  'media.navigator.permission.disabled': true,
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  // Host candidates as plain addresses, not mDNS names: nothing resolves .local names here.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  // A machine without a sound card: Firefox's real audio backends then never start, and an AudioContext
  // stays `suspended` for ever. The mock backend runs the audio graph on a clock of its own.
  'media.cubeb.force_mock_context': true,
} as const;
const FAKE_MEDIA_PREFS = { 'media.navigator.streams.fake': true } as const;

export interface FirefoxLaunchOptions {
  /** Give the browser a fake camera and microphone (default). Without them it has no devices at all. */
  fakeMedia?: boolean;
  extraPrefs?: Record<string, unknown>;
}

/**
 * Starts Debian's Firefox ESR headless, driven by puppeteer-core over WebDriver BiDi. It accepts the
 * server's self-signed certificate, as a person would after comparing its fingerprint.
 */
export async function launchFirefox({
  fakeMedia = true,
  extraPrefs = {},
}: FirefoxLaunchOptions = {}): Promise<Browser> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(
      `Firefox is not installed at ${FIREFOX_PATH}. Install Debian's package (apt-get install firefox-esr) ` +
        'or point PARLEY_FIREFOX at a Firefox binary.',
    );
  }
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: { ...BASE_PREFS, ...(fakeMedia ? FAKE_MEDIA_PREFS : {}), ...extraPrefs },
  });
}
