// Organizations through the web pages: creating one with its name in three
// languages and reading it in French, the duplicate warning, the warning that
// someone else saved the record meanwhile, and what a viewer may not do.

import { createOrganization, fillOrganizationForm, nameFieldset, organizationsNamed } from './partners.mjs';

// A new organization named in English, French and Spanish shows the name of
// the page's language, and the language switch changes the interface too.
export async function createOrganizationInThreeLanguages(t) {
  const { page, expect } = t;
  const names = {
    en: 'Tidewater Lantern Collective',
    fr: 'Collectif Lanterne des Marées',
    es: 'Colectivo Linterna de las Mareas',
  };
  await t.signIn('ana');
  const id = await createOrganization(t, names);
  const h1 = page.locator('main h1');
  expect.equal(await h1.innerText(), names.en, 'the English page shows the English name');
  expect.equal(await page.locator('html').getAttribute('lang'), 'en', 'html[lang] in English');

  // The switch is a plain link to the same page with ?lang=fr.
  await t.clickAndLoad(page.locator('nav.langs').getByRole('link', { name: 'Français', exact: true }));
  expect.equal(t.path(), `/organizations/${id}`, 'the language switch stays on the same record');
  expect.equal(await page.locator('html').getAttribute('lang'), 'fr', 'html[lang] in French');
  expect.equal(await h1.innerText(), names.fr, 'the French page shows the French name');
  expect.ok(await page.locator('nav.main').getByRole('link', { name: 'Organisations', exact: true }).isVisible(),
    'the main navigation is in French ("Organisations")');
  // textContent: the switch is shown in capitals by CSS, innerText would say FRANÇAIS.
  expect.equal(await page.locator('nav.langs a[aria-current]').textContent(), 'Français', 'the switch marks French as current');

  // The choice is remembered (a cookie): a plain address stays in French.
  await page.goto(t.base + `/organizations/${id}`);
  expect.equal(await page.locator('html').getAttribute('lang'), 'fr', 'French is remembered without ?lang');

  await t.clickAndLoad(page.locator('nav.langs').getByRole('link', { name: 'English', exact: true }));
  expect.equal(await page.locator('html').getAttribute('lang'), 'en', 'html[lang] back in English');
  expect.equal(await h1.innerText(), names.en, 'back in English: the English name');
  expect.ok(await page.locator('nav.main').getByRole('link', { name: 'Organizations', exact: true }).isVisible(),
    'the main navigation is in English again');
}

// The same name twice: the form warns and links to the existing record;
// following that link instead of "Create anyway" creates nothing.
export async function duplicateWarningDeclined(t) {
  const { page, expect } = t;
  const name = 'Marrowind Basin Accord Secretariat';
  await t.signIn('ana');
  const first = await createOrganization(t, { en: name }, 'Intergovernmental organization');

  await page.goto(t.base + '/organizations/new');
  await fillOrganizationForm(t, { en: name }, 'Intergovernmental organization');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/organizations/new'),
    t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true })),
  ]);
  expect.equal(response.status(), 409, 'a likely duplicate is answered 409');
  const warning = page.locator('main .notice.warning');
  expect.includes(await warning.innerText(), 'This looks like a record that already exists', 'the duplicate warning');
  expect.equal(await warning.getAttribute('role'), 'alert', 'the warning is announced');
  // What was typed is still there, and the way forward is explicit.
  expect.equal(await nameFieldset(page).getByLabel('English', { exact: true }).inputValue(), name, 'the typed name stays');
  expect.ok(await page.getByRole('button', { name: 'Create anyway', exact: true }).isVisible(), 'a "Create anyway" button');

  const existing = warning.getByRole('link', { name, exact: true });
  expect.equal(await existing.getAttribute('href'), `/organizations/${first}`, 'the warning links to the existing record');
  await t.clickAndLoad(existing);
  expect.equal(t.path(), `/organizations/${first}`, 'the link opens the existing record');
  expect.equal(await page.locator('main h1').innerText(), name, 'the existing record is shown');

  const found = await organizationsNamed(t, name);
  expect.equal(found.length, 1, `organizations named ${name} after declining`);
}

// Someone else saves the record while it is open in the form: saving says
// so, keeps what was typed, and saving again knowingly replaces their version.
export async function staleEditConflict(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const id = await createOrganization(t, { en: 'Pemberwick Ferry Cooperative' });
  await t.clickAndLoad(page.getByRole('link', { name: 'Edit', exact: true }));
  expect.equal(t.path(), `/organizations/${id}/edit`, 'the Edit button opens the form');

  const acronym = page.getByRole('textbox', { name: 'Acronym', exact: true });
  await acronym.fill('PFC-MINE');

  // Meanwhile, the same record changes through the API (same session: the
  // CSRF token is the form's, the version the one the form was opened with).
  const version = await page.locator('form.record input[name=version]').inputValue();
  const csrf = await page.locator('form.record input[name=_csrf]').inputValue();
  const patch = await page.request.patch(t.base + `/api/v1/organizations/${id}`, {
    headers: { 'If-Match': `"${version}"`, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', Accept: 'application/json' },
    data: { acronym: 'PFC-THEIRS' },
  });
  expect.equal(patch.status(), 200, `PATCH /api/v1/organizations/${id} meanwhile (${await patch.text()})`);

  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  expect.equal(t.path(), `/organizations/${id}/edit`, 'the conflict stays on the form');
  const alert = page.locator('main .notice.error[role=alert]');
  expect.includes(await alert.innerText(), 'Someone else saved this record while you were editing it.', 'the conflict notice');
  expect.equal(await acronym.inputValue(), 'PFC-MINE', 'the typed value is still in the field');
  expect.equal(await alert.getByRole('link', { name: 'See the current version' }).getAttribute('href'),
    `/organizations/${id}`, 'the notice links to the current version');

  // Saving again replaces the other version, as the notice says.
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  expect.equal(t.path(), `/organizations/${id}`, 'saving again leads to the record');
  expect.includes(await page.locator('dl.facts').innerText(), 'PFC-MINE', 'the record now has the typed acronym');
}

// A viewer reads but does not write: no Edit, no "New organization", and the
// edit address itself answers with the 403 page.
export async function viewerHasNoEditButtons(t) {
  const { page, expect } = t;
  // Someone who may write creates the record first.
  await t.signIn('ana');
  const id = await createOrganization(t, { en: 'Glimmerdown Archive Trust' }, 'Foundation');
  await t.clickAndLoad(page.locator('form.sign-out').getByRole('button', { name: 'Sign out', exact: true }));

  await t.signIn('dora');
  await page.goto(t.base + `/organizations/${id}`);
  expect.equal(await page.locator('main h1').innerText(), 'Glimmerdown Archive Trust', 'the viewer sees the record');
  const main = page.locator('main');
  expect.equal(await main.getByRole('link', { name: 'Edit', exact: true }).count(), 0, 'no Edit link for a viewer');
  expect.equal(await main.getByRole('button', { name: 'Edit', exact: true }).count(), 0, 'no Edit button for a viewer');
  expect.equal(await main.getByRole('button', { name: 'Archive', exact: true }).count(), 0, 'no Archive button for a viewer');

  await page.goto(t.base + '/organizations');
  expect.equal(await page.locator('main h1').innerText(), 'Organizations', 'the viewer sees the list');
  expect.equal(await main.getByRole('link', { name: 'New organization', exact: true }).count(), 0,
    'no "New organization" for a viewer');

  const response = await page.goto(t.base + `/organizations/${id}/edit`);
  expect.equal(response.status(), 403, 'the edit form answers 403 to a viewer');
  expect.equal(await page.locator('main h1').innerText(), 'Not allowed', 'the 403 page');
}
