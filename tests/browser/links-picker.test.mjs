// Lists of links chosen by name: an interaction's participants (organizations
// and persons, each with a role) and its staff (users), as chips with their
// titles that a button removes, and a follow-up's owner, a user chosen by
// name.  No step asks for a record's number.

import { createOrganization } from './partners.mjs';

// A new person through the form; returns its id.
async function createPerson(t, given, family) {
  const { page, expect } = t;
  await page.goto(t.base + '/persons/new');
  await page.getByRole('textbox', { name: 'Given name', exact: true }).fill(given);
  await page.getByLabel('Family name').fill(family);
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const m = /^\/persons\/(\d+)$/.exec(t.path());
  expect.ok(m, `saving the person leads to their page (at ${t.path()})`);
  return Number(m[1]);
}

// Types into a picker and waits for the option named `name`.
async function offered(t, field, typed, name) {
  await field.pressSequentially(typed, { delay: 30 });
  const list = t.page.getByRole('listbox', { name: 'Suggestions' }).filter({ has: t.page.getByRole('option') });
  const option = list.getByRole('option', { name, exact: false }).first();
  await option.waitFor({ state: 'visible' });
  return option;
}

async function api(t, path) {
  const res = await t.page.request.get(t.base + path, { headers: { Accept: 'application/json' } });
  t.expect.equal(res.status(), 200, `GET ${path}`);
  return res.json();
}

export async function participantsAreChipsChosenByName(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const orgName = 'Brastovel Canal Trust';
  const org = await createOrganization(t, { en: orgName });
  const person = await createPerson(t, 'Odile', 'Quillanthe');

  await page.goto(t.base + `/organizations/${org}`);
  await t.clickAndLoad(page.getByRole('link', { name: 'Record an interaction', exact: true }));
  await page.getByLabel('Date').fill('2026-05-14');
  await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption({ label: 'Meeting' });
  await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('Lock gate funding');

  const participants = page.getByRole('group', { name: 'Participants', exact: true });
  const chips = participants.locator('ul.chips li.chip');
  expect.equal(await chips.count(), 1, 'the organization is already a participant');
  expect.includes(await chips.first().innerText(), orgName, 'its chip says its name');

  // A person, by a few letters of their name; the option says it is a person.
  const add = participants.getByRole('combobox', { name: 'Add by name', exact: true });
  const option = await offered(t, add, 'Quillan', 'Odile Quillanthe');
  expect.equal(await option.locator('.kind').textContent(), 'Persons', 'the option says which kind it is');
  await t.axe(); // the list is open: check the page as it is now
  await add.press('ArrowDown');
  await add.press('Enter'); // chooses; does not submit the form
  expect.equal(t.path(), '/interactions/new', 'Enter on a suggestion stays on the form');
  expect.equal(await chips.count(), 2, 'a chip more');
  expect.equal(await add.inputValue(), '', 'the box is empty for the next one');
  await chips.nth(1).getByRole('textbox', { name: 'Role', exact: true }).fill('speaker');

  // The organization's chip goes with its button; focus stays in the picker.
  await participants.getByRole('button', { name: `Remove ${orgName}`, exact: true }).click();
  expect.equal(await chips.count(), 1, 'the chip is gone');
  expect.ok(await add.evaluate((el) => el === document.activeElement), 'focus is back in the picker');
  await t.axe();

  // Staff: a user, by name.
  const staff = page.getByRole('group', { name: 'Staff', exact: true });
  const staffAdd = staff.getByRole('combobox', { name: 'Add by name', exact: true });
  await (await offered(t, staffAdd, 'an', 'ana')).click();
  expect.includes(await staff.locator('li.chip').first().innerText(), 'ana', 'the user\'s chip');

  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const m = /^\/interactions\/(\d+)$/.exec(t.path());
  expect.ok(m, `saving leads to the interaction's page (at ${t.path()})`);
  const rec = await api(t, `/api/v1/interactions/${m[1]}`);
  expect.equal(JSON.stringify(rec.participants), JSON.stringify([{ kind: 'persons', id: person, role: 'speaker' }]),
    'the person, in their role, and not the organization removed');
  const ana = await api(t, '/api/v1/users/ana');
  expect.equal(JSON.stringify(rec.staff), JSON.stringify([{ kind: 'users', id: ana.id, role: null }]), 'ana is staff');

  // The edit form shows the chips again, the role kept.
  await page.goto(t.base + `/interactions/${m[1]}/edit`);
  expect.equal(await chips.count(), 1, 'one participant');
  expect.equal(await chips.first().getByRole('textbox', { name: 'Role', exact: true }).inputValue(), 'speaker', 'the role');
  expect.ok(await participants.getByRole('button', { name: 'Remove Odile Quillanthe', exact: true }).isVisible(),
    'the chip can be removed');
}

export async function ownerIsAUserChosenByName(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  await page.goto(t.base + '/follow-ups/new');
  await page.getByRole('textbox', { name: 'Task', exact: true }).fill('Draft the canal memo');
  const owner = page.getByRole('combobox', { name: 'Owner', exact: true });
  await (await offered(t, owner, 'do', 'dora')).click();
  expect.equal(await owner.inputValue(), 'dora', 'the field names the user');
  await page.getByLabel('Due date').fill('2026-06-30');
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'Open' });
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const m = /^\/follow-ups\/(\d+)$/.exec(t.path());
  expect.ok(m, `saving leads to the follow-up's page (at ${t.path()})`);
  const dora = await api(t, '/api/v1/users/dora');
  expect.equal((await api(t, `/api/v1/follow-ups/${m[1]}`)).owner, dora.id, 'dora owns it');
}
