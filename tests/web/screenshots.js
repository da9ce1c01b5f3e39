// By hand, against a running `scripts/demo`: screenshots of the dashboard and the staff
// page at 390x844 and 1920x1080 for docs/screenshots (look at them before committing).
//   node tests/web/screenshots.js BASE_URL STORE MANAGER_PASSWORD HANDHELD_PASSWORD OUT_DIR [LANG]
'use strict';
const path = require('path');
const { chromium } = require(path.resolve(__dirname, '../../web/node_modules/playwright-core'));
const [base, store, managerPw, handheldPw, out, lang] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const shots = [['store', 'manager', managerPw], ['staff', 'handheld-1', handheldPw]];
  for (const [w, h, name] of [[390, 844, 'phone'], [1920, 1080, 'desktop']]) {
    for (const [view, user, pw] of shots) {
      const context = await browser.newContext({ viewport: { width: w, height: h }, ignoreHTTPSErrors: true, isMobile: w < 500 });
      const page = await context.newPage();
      await page.goto(base + '/' + view + '/?store=' + store + '&lang=' + (lang || 'en'));
      await page.fill('#login-user', user);
      await page.fill('#login-password', pw);
      await page.click('#login-submit');
      await page.waitForSelector('#link.live', { timeout: 10000 });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(out, 'web-' + view + '-' + w + 'x' + h + (lang && lang !== 'en' ? '-' + lang : '') + '.png'), fullPage: w < 500 && view === 'store' });
      await context.close();
    }
  }
  await browser.close();
})();
