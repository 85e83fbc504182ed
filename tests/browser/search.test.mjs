// The search box in every page's header: a misspelt word still finds the
// record (the search forgives typos and offers the likeliest spelling as a
// link that finds it exactly), and typing the first
// letters shows type-ahead suggestions (liaison.js, /api/v1/search/suggest).

import { createOrganization } from './partners.mjs';

export async function headerSearchWithMisspelling(t) {
  const { page, expect } = t;
  const name = 'Quillfeather Migration Observatory';
  await t.signIn('ana');
  const id = await createOrganization(t, { en: name }, 'Academia');

  // A misspelling ("Quilfeather", one l), submitted with Enter.
  const box = page.locator('header.site').getByRole('searchbox', { name: 'Search', exact: true })
    .or(page.locator('header.site').getByRole('combobox', { name: 'Search', exact: true })); // liaison.js makes it a combobox
  await box.fill('Quilfeather');
  await Promise.all([page.waitForEvent('load'), box.press('Enter')]);
  expect.equal(t.path(), '/search', 'the header search leads to the results page');
  const results = page.locator('ol.results');
  const hit = results.getByRole('link', { name, exact: true });
  expect.equal(await hit.count(), 1, 'the misspelt search lists the organization');
  expect.equal(await hit.getAttribute('href'), `/organizations/${id}`, 'the result links to the organization');
  expect.includes(await page.locator('main').innerText(), 'No record has these exact words',
    'the page says the results are for similar words');
  const meant = page.locator('main .did-you-mean').getByRole('link');
  expect.equal(await meant.innerText(), 'quillfeather', 'the page offers the likeliest spelling');
  await Promise.all([page.waitForEvent('load'), meant.click()]);
  expect.equal(await results.getByRole('link', { name, exact: true }).count(), 1, 'the spelling offered finds it');
  expect.equal(await page.locator('main .did-you-mean').count(), 0, 'spelt right, nothing more is offered');

  // Type-ahead: the first letters, typed key by key, open the suggestions.
  await box.fill('');
  await box.pressSequentially('Quillf', { delay: 30 });
  const listbox = page.getByRole('listbox', { name: 'Suggestions' });
  const option = listbox.getByRole('option').filter({ hasText: name });
  await option.waitFor({ state: 'visible' });
  expect.equal(await box.getAttribute('aria-expanded'), 'true', 'the combobox says its list is open');
  // The list came after the load's check: check the page as it is now.
  await t.axe();

  // Choosing the suggestion with the keyboard opens the record.
  await box.press('ArrowDown');
  expect.equal(await option.getAttribute('aria-selected'), 'true', 'ArrowDown selects the suggestion');
  await Promise.all([page.waitForEvent('load'), box.press('Enter')]);
  expect.equal(t.path(), `/organizations/${id}`, 'Enter on the suggestion opens the organization');
}
