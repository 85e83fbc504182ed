// Liaison on a phone, 375 × 800: every page the sweep opens (pages.mjs), in
// English, French and Spanish, must fit the screen's width — nothing
// scrolls sideways — and the header's menu, folded into "Menu", must open
// and show its links, with the script and without it.  The runner checks
// each page with axe at this size too.

import { adminPages, api, deskPages, records, registryPages } from './pages.mjs';

const PHONE = { width: 375, height: 800 };

// The records, and a reply the outbox holds, so that the mail lists have a row.
async function phoneRecords(t) {
  await t.page.setViewportSize(PHONE);
  const r = await records(t);
  await api(t, 'POST', `/api/v1/inquiries/${r.inquiry.reference}/reply`, { body: 'We will call you back.' });
  return r;
}

// Opens each page in lang (the switch is remembered: pages that name a
// language of their own are left to the sweep) and measures its width.
async function fitsThePhone(t, lang, pagesOf) {
  const pages = pagesOf(await phoneRecords(t)).filter((p) => !p.includes('lang='));
  await t.page.goto(`${t.base}/?lang=${lang}`);
  const wide = [];
  for (const path of pages) {
    await t.page.goto(t.base + path);
    const { scroll, width, lang: shown } = await t.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, width: window.innerWidth, lang: document.documentElement.lang,
    }));
    // a briefing pack is written in the briefing's own language, whatever the reader's
    if (!path.endsWith('/pack')) t.expect.equal(shown, lang, `${path} is in ${lang}`);
    if (scroll > width) wide.push(`${path} (${scroll} px)`);
  }
  t.expect.equal(wide.join(', '), '', `pages wider than ${PHONE.width} px in ${lang}`);
}

export const registryPagesFitAPhoneInEnglish = (t) => fitsThePhone(t, 'en', registryPages);
export const registryPagesFitAPhoneInFrench = (t) => fitsThePhone(t, 'fr', registryPages);
export const registryPagesFitAPhoneInSpanish = (t) => fitsThePhone(t, 'es', registryPages);
export const deskPagesFitAPhoneInEnglish = (t) => fitsThePhone(t, 'en', deskPages);
export const deskPagesFitAPhoneInFrench = (t) => fitsThePhone(t, 'fr', deskPages);
export const deskPagesFitAPhoneInSpanish = (t) => fitsThePhone(t, 'es', deskPages);
export const adminPagesFitAPhoneInEnglish = (t) => fitsThePhone(t, 'en', adminPages);
export const adminPagesFitAPhoneInFrench = (t) => fitsThePhone(t, 'fr', adminPages);
export const adminPagesFitAPhoneInSpanish = (t) => fitsThePhone(t, 'es', adminPages);

// The menu's links: hidden until "Menu" is pressed, then every one on screen.
async function menuOpens(t, page) {
  const links = page.locator('nav.main a');
  const n = await links.count();
  t.expect.ok(n >= 5, `the menu has its links (${n})`);
  t.expect.ok(!(await links.first().isVisible()), 'the menu is folded at first');
  await page.locator('details.menu > summary').click();
  for (let i = 0; i < n; i++) t.expect.ok(await links.nth(i).isVisible(), `menu link ${i + 1} of ${n} shows`);
  t.expect.ok(await page.locator('form.sign-out button').isVisible(), 'the menu shows "Sign out"');
  const link = page.locator('nav.main').getByRole('link', { name: 'Organizations', exact: true });
  await Promise.all([page.waitForEvent('load'), link.click()]);
  t.expect.equal(new URL(page.url()).pathname, '/organizations', 'a link of the menu leads to its page');
}

export async function phoneMenuOpensAndShowsItsLinks(t) {
  await t.page.setViewportSize(PHONE);
  await t.signIn('ana');
  await menuOpens(t, t.page);
}

export async function phoneMenuWorksWithoutTheScript(t) {
  const context = await t.page.context().browser().newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.goto(t.base + '/sign-in');
    await page.getByLabel('Name', { exact: true }).fill('ana');
    await page.getByLabel('Password', { exact: true }).fill(t.users.ana);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    t.expect.equal(new URL(page.url()).pathname, '/', 'signed in without the script');
    await menuOpens(t, page);
  } finally {
    await context.close();
  }
}

// A record's rarer actions sit behind "More actions"; archiving asks first.
export async function archivingAsksFirst(t) {
  const { org } = await records(t);
  const page = t.page;
  await page.goto(`${t.base}/organizations/${org.id}`);
  const yes = page.getByRole('button', { name: 'Yes, archive it', exact: true });
  t.expect.ok(!(await yes.isVisible()), 'no archive button under the facts');
  await page.locator('details.more > summary').click();
  t.expect.ok(!(await yes.isVisible()), 'opening the menu does not archive yet');
  await page.locator('details.confirm > summary').click();
  t.expect.includes(await page.locator('div.confirm-box').innerText(), 'Archive this record?', 'the question is asked');
  await t.clickAndLoad(yes);
  t.expect.ok((await page.locator('main .badge').allInnerTexts()).includes('archived'), 'the record is archived');
}

// Tables become cards on a phone, each value labelled by its column.
export async function phoneTablesAreLabelledCards(t) {
  await t.page.setViewportSize(PHONE);
  const { inquiry } = await records(t);
  for (const path of ['/organizations', '/desk']) {
    await t.page.goto(t.base + path);
    const cell = t.page.locator('table.records tbody tr').first().locator('td').nth(1);
    const label = await cell.getAttribute('data-label');
    t.expect.ok(label, `${path}: a cell has its column's label`);
    const shown = await cell.evaluate((td) => getComputedStyle(td, '::before').content);
    t.expect.equal(shown, JSON.stringify(label), `${path}: the label shows before the value`);
    const head = await t.page.locator('table.records thead th').nth(1).innerText();
    t.expect.equal(label, head.replace(/[▲▼]/g, '').trim(), `${path}: the label is the column's heading`);
  }
  t.expect.ok(inquiry.reference, 'the desk had an inquiry to show');
}
