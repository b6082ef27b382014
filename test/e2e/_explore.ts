import { chromium } from 'playwright-core';
import { createProfile, CodeServer, removeProfile } from './harness/codeServer';
(async () => {
  const profile = createProfile();
  const server = await CodeServer.start(profile);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60000 });
    await page.waitForTimeout(8000);
    await page.screenshot({ path: '/tmp/hr-explore/1.png' });
    const sb = await page.$$eval('.statusbar-item', (els) => els.map((e) => e.outerHTML.slice(0, 600)));
    console.log(sb.join('\n\n'));
    const sbItem = page.locator('.statusbar-item', { hasText: 'CPU' });
    await sbItem.click();
    await page.waitForTimeout(4000);
    await page.screenshot({ path: '/tmp/hr-explore/2.png' });
    const ifr = await page.$$eval('iframe', (els) => els.map((e) => e.outerHTML.slice(0, 800)));
    console.log(ifr.join('\n\n'));
    for (const f of page.frames()) console.log('FRAME', f.name(), f.url().slice(0, 200));
    console.log(server.logTail());
  } finally {
    await browser.close();
    await server.stop();
    removeProfile(profile);
  }
})();
