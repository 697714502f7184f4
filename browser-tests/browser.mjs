// Debian's chromium, headless, as this machine allows it (no sandbox as root, no background
// networking: the network is closed). Never a browser downloaded by a test tool.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
