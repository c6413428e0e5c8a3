import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, without the background connections this machine's closed network refuses (never a
 * browser download). The suite fails with the one-line fix when it is missing.
 */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) throw new Error('Chromium is missing: `apt-get install -y chromium` (CI installs it in .ci/run).');
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};
