// Texts compared, as a reader sees them (the runner checks each page with
// axe): a revision beside its original, reached from the revision's page,
// with the changed words struck through and underlined and each named to
// screen readers; and two language versions side by side, each column in
// its own language.

import { api } from './pages.mjs';

// The two documents, made once for the suite's server (each test has its own browser, not its own server).
async function documents(t) {
  await t.signIn('root');
  const made = async (symbol) => (await api(t, 'GET', `/api/v1/documents?symbol=${symbol}`)).items[0];
  if (await made('SW/4/1/Rev.1')) return { original: await made('SW/4/1'), revision: await made('SW/4/1/Rev.1') };
  await api(t, 'POST', '/api/v1/bodies', { series: 'SW', type: 'council', name: { en: 'Sweepwater Council' } });
  const doc = (symbol) => api(t, 'POST', '/api/v1/documents',
    { symbol, title: { en: `Sweepwater report ${symbol}` }, original_language: 'en' });
  const version = (d, language, text) => api(t, 'POST', '/api/v1/document-versions', { document: d.id, language, text });
  const original = await doc('SW/4/1');
  const revision = await doc('SW/4/1/Rev.1');
  await version(original, 'en', 'The Council adopted the Sweepwater budget.\nThe session closed.');
  await version(original, 'fr', 'Le Conseil a adopté le budget de Sweepwater.\nLa session est close.');
  await version(revision, 'en', 'The Council approved the Sweepwater budget.\nThe session closed.');
  return { original, revision };
}

export async function aRevisionIsComparedWithItsEarlierText(t) {
  const { original, revision } = await documents(t);
  await t.page.goto(`${t.base}/documents/${revision.id}?lang=en`);
  await t.clickAndLoad(t.page.getByRole('link', { name: 'Compare with the earlier text' }));
  t.expect.equal(t.path(), `/documents/${original.id}/compare`, 'the comparison of the revision with its original');
  t.expect.equal((await t.page.locator('table.compare del').textContent()).trim(), 'deleted: adopted', 'the deleted word');
  t.expect.equal((await t.page.locator('table.compare ins').textContent()).trim(), 'inserted: approved', 'the inserted word');
  const box = await t.page.locator('table.compare del .visually-hidden').boundingBox();
  t.expect.ok(box && box.width <= 1 && box.height <= 1, 'the screen readers\' word takes no room on screen');
  const struck = await t.page.locator('table.compare del').evaluate((e) => getComputedStyle(e).textDecorationLine);
  t.expect.includes(struck, 'line-through', 'a deletion is struck through, not only coloured');
  t.expect.equal(await t.page.locator('table.compare tr.kept').count(), 1, 'the unchanged paragraph');
  t.expect.equal(await t.page.locator('table.compare tr.kept del, table.compare tr.kept ins').count(), 0, 'left unmarked');
}

export async function twoLanguagesAreSetSideBySide(t) {
  const { original } = await documents(t);
  await t.page.goto(`${t.base}/documents/${original.id}/compare?lang=fr&text_lang=en&with_lang=fr`);
  t.expect.equal(await t.page.locator('html').getAttribute('lang'), 'fr', 'the interface is French');
  const cells = t.page.locator('table.compare tbody tr').first().locator('td');
  t.expect.equal(await cells.nth(0).getAttribute('lang'), 'en', 'the left column says it is English');
  t.expect.equal(await cells.nth(1).getAttribute('lang'), 'fr', 'the right one French');
  t.expect.equal(await t.page.locator('table.compare del, table.compare ins').count(), 0, 'translations are not marked');
}
