// Partial updates: filtering, sorting and paging a list swap the page's
// <main> in place (the rest of the page, and its script state, stay), the
// address follows, and Back returns to the previous list; opening a record
// of the list loads its page whole.

import { createOrganization } from './partners.mjs';

export async function listFiltersUpdateInPlace(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  await createOrganization(t, { en: 'Quietbrook Archive Academy' }, 'Academia');
  await page.goto(t.base + '/organizations');
  // A mark on the window survives a partial update and dies with a full load.
  await page.evaluate(() => { window.stillHere = true; });

  await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Academia' });
  await page.locator('main form.filters').first().getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForURL((url) => url.search.includes('type=academia'));
  expect.ok(await page.evaluate(() => window.stillHere === true), 'the filter did not reload the whole page');
  await page.locator('main table.records').getByRole('link', { name: 'Quietbrook Archive Academy' }).waitFor();
  const types = await page.locator('main table.records tbody tr td:nth-child(3)').allInnerTexts();
  expect.ok(types.length > 0 && types.every((x) => x.trim() === 'Academia'), `only academia is listed (${types})`);
  expect.equal(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1',
    'focus moves to the new heading, so screen readers hear the change');
  await t.axe();

  // Sorting by a column heading: the same, and the heading says how it sorts.
  await page.locator('main thead').getByRole('link', { name: 'Name', exact: true }).click();
  await page.waitForURL((url) => url.search.includes('sort=name'));
  expect.ok(await page.evaluate(() => window.stillHere === true), 'sorting did not reload the whole page');
  expect.equal(await page.locator('main th[aria-sort]').getAttribute('aria-sort'), 'ascending', 'sorted ascending');

  // Back: the previous address and its list.
  await page.goBack();
  await page.waitForURL((url) => !url.search.includes('sort='));
  await page.locator('main th[aria-sort]').waitFor({ state: 'detached' });
  expect.ok(await page.evaluate(() => window.stillHere === true), 'Back swapped the list in place too');

  // A record of the list is a page of its own: loaded whole, its scripts with it.
  await t.clickAndLoad(page.locator('main tbody a').first());
  expect.ok(await page.evaluate(() => window.stillHere !== true), 'opening a record loads its page whole');
  expect.ok(await page.locator('button[data-print]').isVisible(), "the record page's script ran (its print button shows)");
}
