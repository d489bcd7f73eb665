import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by a test tool. */
export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags seen to work headless on these machines (see the team's testing guide). The background-networking
 * flags keep Chromium from reaching for the internet; the fake devices give every participant a moving
 * test pattern and a beep; the mDNS flag keeps host candidates as plain loopback addresses.
 */
const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];
const FAKE_MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export interface LaunchOptions {
  /** Give the browser a fake camera and microphone (default). Without them it has no devices at all. */
  fakeMedia?: boolean;
  extraArgs?: string[];
  /** Something that runs Debian's Chromium another way (inside a network namespace, say). */
  executablePath?: string;
}

export async function launchChromium({
  fakeMedia = true,
  extraArgs = [],
  executablePath = CHROMIUM_PATH,
}: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get install chromium) ` +
        'or point PARLEY_CHROMIUM at a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...BASE_FLAGS, ...(fakeMedia ? FAKE_MEDIA_FLAGS : []), ...extraArgs],
  });
}

/**
 * One participant's own window: a context of its own, so no peer runs in a throttled background tab.
 * `device` overrides the desktop-sized window, for a phone say ({@link PHONE}).
 */
export async function newParticipantContext(
  browser: Browser,
  device: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 720 },
    // As if the person had clicked "Allow": a browser without devices then fails with NotFoundError.
    permissions: ['camera', 'microphone'],
    ...device,
  });
}

/** A phone-sized window: the CSS viewport of a 6.1-inch phone held upright, touch, mobile layout rules. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const satisfies BrowserContextOptions;
