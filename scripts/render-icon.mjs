// Renders media/headroom.png (128x128, the Marketplace icon) from media/headroom.svg with Chromium.
// Run once after changing the SVG: node scripts/render-icon.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../media/headroom.svg', import.meta.url), 'utf8')
  .replace('currentColor', '#ffffff')
  .replaceAll('fill="currentColor"', 'fill="#ffffff"');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(
  `<body style="margin:0"><div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#1f6feb,#0b3d91);display:flex;align-items:center;justify-content:center;color:#fff">${svg.replace('width="24" height="24"', 'width="96" height="96"')}</div></body>`,
);
await page.screenshot({ path: new URL('../media/headroom.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
