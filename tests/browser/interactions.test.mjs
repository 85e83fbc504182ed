// Interactions recorded from an organization's page, as they then appear
// in that organization's timeline, in English and in French.

import { createOrganization } from './partners.mjs';

// From the organization's page, "Record an interaction" opens the form with
// the organization already among the participants; saves; returns the
// interaction's id.
async function recordInteraction(t, orgId, { date, kind, subject }) {
  const { page, expect } = t;
  await page.goto(t.base + `/organizations/${orgId}`);
  await t.clickAndLoad(page.getByRole('link', { name: 'Record an interaction', exact: true }));
  expect.equal(t.path(), '/interactions/new', '"Record an interaction" opens the new interaction form');
  expect.equal(await page.locator('#f-participants-chips input[name="participants"]').getAttribute('value'),
    `organizations/${orgId}`, 'the organization is already a participant');

  // Not exact: the label's text ends with the required mark "*" (hidden from screen readers).
  await page.getByLabel('Date').fill(date);
  await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption({ label: kind });
  await page.getByRole('textbox', { name: 'Subject', exact: true }).fill(subject);
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const m = /^\/interactions\/(\d+)$/.exec(t.path());
  expect.ok(m, `saving the interaction leads to its page (at ${t.path()})`);
  expect.equal(await page.locator('main h1').innerText(), subject, 'the interaction page shows its subject');
  return Number(m[1]);
}

// The interaction is in the organization's timeline, its subject a link to it.
export async function interactionInTimeline(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const org = await createOrganization(t, { en: 'Vellmoor Seed Exchange Network' });
  const subject = 'Seed vault inventory review';
  const id = await recordInteraction(t, org, { date: '2026-02-11', kind: 'Meeting', subject });

  // Back to the organization through the participant's link on the interaction.
  await t.clickAndLoad(page.locator('dl.facts').getByRole('link', { name: 'Vellmoor Seed Exchange Network', exact: true }));
  expect.equal(t.path(), `/organizations/${org}`, 'the participant links to the organization');
  const entry = page.locator('ol.timeline > li').filter({ hasText: subject });
  expect.equal(await entry.count(), 1, 'the interaction is in the timeline once');
  const link = entry.getByRole('link', { name: subject, exact: true });
  expect.equal(await link.getAttribute('href'), `/interactions/${id}`, 'the subject links to the interaction');
  expect.equal(await entry.locator('time').getAttribute('datetime'), '2026-02-11', 'the entry is dated');
  expect.equal(await entry.locator('time').innerText(), '11 February 2026', 'the date is written out in English');
  expect.equal(await page.getByText('No interactions recorded.').count(), 0, 'the timeline is not said to be empty');

  await t.clickAndLoad(link);
  expect.equal(t.path(), `/interactions/${id}`, 'the timeline link opens the interaction');
}

// In French, the timeline's date is written the French way and its labels
// are French.  The expected words are fr.po's (msgstr of "Timeline",
// "Record an interaction", "Meeting").
export async function frenchLabelsAndDates(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const org = await createOrganization(t, { en: 'Ostrander Fjord Relief Council', fr: 'Conseil de secours du fjord Ostrander' });
  await recordInteraction(t, org, { date: '2026-03-05', kind: 'Call', subject: 'Winter ferry schedule' });

  await page.goto(t.base + `/organizations/${org}?lang=fr`);
  expect.equal(await page.locator('html').getAttribute('lang'), 'fr', 'html[lang] in French');
  expect.equal(await page.locator('main h1').innerText(), 'Conseil de secours du fjord Ostrander', 'the French name');
  const entry = page.locator('ol.timeline > li').filter({ hasText: 'Winter ferry schedule' });
  expect.equal(await entry.locator('time').innerText(), '5 mars 2026', 'the date in French');
  expect.equal(await page.locator('#h-timeline').innerText(), 'Chronologie', 'the timeline heading in French');
  expect.equal(await entry.locator('.badge').innerText(), 'Appel', 'the kind of interaction in French');
  expect.ok(await page.getByRole('link', { name: 'Enregistrer une interaction', exact: true }).isVisible(),
    'the "Record an interaction" button in French');
}
