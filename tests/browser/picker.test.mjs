// A reference field with type-ahead: on a new person's form, typing a few
// letters of an organization's name in "Organization" offers that kind's
// titles only (liaison.js, /api/v1/search/suggest?type=organizations), and
// choosing one with the keyboard puts its name in the field (its id goes in
// the hidden input beside it); the edit form names it too.

import { createOrganization } from './partners.mjs';

export async function referenceFieldPicksByName(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const name = 'Quorravel Tidewater Alliance';
  const org = await createOrganization(t, { en: name });

  await page.goto(t.base + '/persons/new');
  await page.getByRole('textbox', { name: 'Given name', exact: true }).fill('Ilse');
  // Not exact: the label's text ends with the required mark "*".
  await page.getByLabel('Family name').fill('Marrowgate');
  const field = page.getByRole('combobox', { name: 'Organization', exact: true });
  await field.pressSequentially('Quorrav', { delay: 30 });
  const list = page.getByRole('listbox', { name: 'Suggestions' }).filter({ has: page.getByRole('option') });
  const option = list.getByRole('option', { name, exact: true });
  await option.waitFor({ state: 'visible' });
  expect.equal(await list.getByRole('option').count(), 1, 'only the organization is offered');
  await t.axe(); // the list is open: check the page as it is now

  await field.press('ArrowDown');
  await field.press('Enter'); // chooses; does not submit the form
  expect.equal(t.path(), '/persons/new', 'Enter on a suggestion stays on the form');
  expect.equal(await field.inputValue(), name, 'the field holds the organization\'s name');
  expect.equal(await page.locator('#f-organization-id').inputValue(), String(org), 'and the hidden input its id');

  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  expect.ok(/^\/persons\/\d+$/.test(t.path()), `saving leads to the person's page (at ${t.path()})`);
  const link = page.locator('main').getByRole('link', { name, exact: true });
  expect.equal(await link.getAttribute('href'), `/organizations/${org}`, 'the person links to the organization');

  // The edit form names the organization.
  await page.goto(t.base + t.path() + '/edit');
  expect.equal(await field.inputValue(), name, 'the edit form holds the name');
  expect.equal(await page.locator('#f-organization-id').inputValue(), String(org), 'and the id beside it');
}

// Merging asks for the duplicate the same way: by a few letters of its name,
// never by a record number read off another page.
export async function mergeChoosesTheDuplicateByName(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const keep = await createOrganization(t, { en: 'Velmora Harbour Pilots Guild' });
  const gone = await createOrganization(t, { en: 'Velmora Harbor Pilots' });

  await page.goto(t.base + `/organizations/${keep}/merge`);
  const field = page.getByRole('combobox', { name: 'Record to merge into this one', exact: true });
  await field.pressSequentially('Velmora Harbor', { delay: 30 });
  const list = page.getByRole('listbox', { name: 'Suggestions' }).filter({ has: page.getByRole('option') });
  const option = list.getByRole('option', { name: 'Velmora Harbor Pilots', exact: true });
  await option.waitFor({ state: 'visible' });
  await t.axe();
  await option.click();
  expect.equal(await field.inputValue(), 'Velmora Harbor Pilots', 'the field names the duplicate');
  expect.equal(await page.locator('#f-merge-id').inputValue(), String(gone), 'and the hidden input holds its id');

  await t.clickAndLoad(page.getByRole('button', { name: 'Merge', exact: true }));
  expect.ok(/^\/merges\/\d+$/.test(t.path()), `merging leads to the merge's page (at ${t.path()})`);
}
