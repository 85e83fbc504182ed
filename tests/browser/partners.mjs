// Steps the partner-registry tests share.  Not a test file (run.mjs only
// loads *.test.mjs), so the exports here are helpers, not tests.
//
// The whole suite shares one database, and a new organization whose name
// looks like an existing one gets the duplicate warning instead of being
// saved.  So every test names its organizations with words no other test
// uses (invented names only).

// Creates an organization through Organizations → "New organization" as the
// signed-in user; returns its id.  `names` is { en, fr, es } (fr and es may be
// left out); `type` is the visible label of the Type option.
export async function createOrganization(t, names, type = 'Civil society organization') {
  const { page, expect } = t;
  await page.goto(t.base + '/');
  await t.clickAndLoad(page.locator('nav.main').getByRole('link', { name: 'Organizations', exact: true }));
  await t.clickAndLoad(page.getByRole('link', { name: 'New organization', exact: true }));
  await fillOrganizationForm(t, names, type);
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const m = /^\/organizations\/(\d+)$/.exec(t.path());
  expect.ok(m, `saving the new organization leads to its page (at ${t.path()})`);
  expect.equal((await page.locator('main .notice[role=status]').innerText()).trim(), 'Saved.', 'the page says it was saved');
  return Number(m[1]);
}

// Fills the form of a new organization (already on screen).
export async function fillOrganizationForm(t, names, type = 'Civil society organization') {
  const { page } = t;
  const name = nameFieldset(page);
  await name.getByLabel('English', { exact: true }).fill(names.en);
  if (names.fr) await name.getByLabel('Français', { exact: true }).fill(names.fr);
  if (names.es) await name.getByLabel('Español', { exact: true }).fill(names.es);
  await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: type });
}

// The "Name" fieldset: one input per language, labelled with the language.
export function nameFieldset(page) {
  return page.getByRole('group', { name: 'Name', exact: true });
}

// The organizations whose English name is `en`, as the API lists them
// (page.request carries the browser context's session cookie).
export async function organizationsNamed(t, en) {
  const res = await t.page.request.get(t.base + '/api/v1/organizations?limit=500', {
    headers: { Accept: 'application/json' },
  });
  t.expect.equal(res.status(), 200, 'GET /api/v1/organizations');
  const body = await res.json();
  return body.items.filter((o) => o.name && o.name.en === en);
}
