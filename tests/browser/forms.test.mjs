// The record forms as a person meets them: a refused form shows each error
// beside its field and a summary at the top that takes the focus, whose
// links lead to the fields; a new interaction's date is today; one-line
// fields are not stretched across the page, and a phone gets one column.

// Sends a new interaction with no subject and a participant no record is
// called; the summary gets the focus and leads to each field.
export async function errorSummaryLeadsToTheFields(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  await page.goto(t.base + '/interactions/new');
  // the test server's calendar is Europe/Zurich's (tests/browser/server.mjs gives none)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich' }).format(new Date());
  expect.equal(await page.getByLabel('Date').inputValue(), today, 'a new interaction is dated today');
  await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption({ label: 'Meeting' });
  await page.locator('#f-participants').fill('Qwzzyx Nobodyhere');
  await t.clickAndLoad(page.getByRole('button', { name: 'Save', exact: true }));
  const summary = page.getByRole('alert').filter({ hasText: 'Some fields need attention' });
  expect.equal(await summary.count(), 1, 'one summary of the errors');
  expect.ok(await summary.evaluate((el) => el === document.activeElement), 'the summary has the focus');
  const links = summary.getByRole('link');
  expect.equal(await links.count(), 2, 'one link per field that needs attention');
  const texts = await links.allInnerTexts();
  expect.ok(texts.some((s) => s.startsWith('Subject: ')), `the subject is listed (${texts})`);
  expect.ok(texts.some((s) => s.startsWith('Participants: ')), `the participants are listed (${texts})`);
  for (const [name, id] of [['Subject', 'f-subject'], ['Participants', 'f-participants']]) {
    await summary.getByRole('link', { name: new RegExp('^' + name + ':') }).click();
    expect.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), id,
      `the link of ${name} puts the focus on its field`);
  }
  const subject = page.getByRole('textbox', { name: 'Subject' });
  expect.equal(await subject.getAttribute('aria-invalid'), 'true', 'the subject is marked invalid');
  expect.equal(await page.locator('#' + (await subject.getAttribute('aria-describedby'))).innerText(),
    'This field is required.', 'the message beside the subject is tied to it');
  await t.axe();
}

// The same in French, on the public question form, without signing in.
export async function askFormSummaryInFrench(t) {
  const { page, expect } = t;
  await page.goto(t.base + '/ask?lang=fr');
  await t.clickAndLoad(page.getByRole('button', { name: 'Envoyer', exact: true }));
  const summary = page.locator('#form-errors');
  expect.equal(await summary.getAttribute('role'), 'alert', 'the summary is an alert');
  expect.ok(await summary.evaluate((el) => el === document.activeElement), 'the summary has the focus');
  expect.equal(await summary.getByRole('link').count(), 3, 'name, e-mail and question are listed');
  expect.ok((await summary.innerText()).includes('Certains champs sont à revoir'), 'the summary is in French');
  await t.axe();
}

// Where each labelled control of a form stands: {name: {x, y, width}}, and the form's width.
async function boxes(page) {
  return page.evaluate(() => {
    const form = document.querySelector('form.record').getBoundingClientRect();
    const out = {};
    for (const c of document.querySelectorAll('form.record div.field > :is(input, select):not([type=hidden])')) {
      const r = c.getBoundingClientRect();
      out[c.name] = { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width) };
    }
    return { form: Math.round(form.width), at: out, scroll: document.documentElement.scrollWidth, inner: window.innerWidth };
  });
}

// On a wide screen a date, a choice or a name is not stretched across the
// form, and pairs stand side by side; on a phone (375 px) every field is
// one under the other, full width, and nothing scrolls sideways.
export async function fieldsSizedToWhatTheyHold(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(t.base + '/persons/new');
  let b = await boxes(page);
  expect.equal(b.at.given_name.y, b.at.family_name.y, 'given and family name side by side');
  expect.ok(b.at.given_name.width < b.form / 2, `a name is not full width (${b.at.given_name.width} of ${b.form})`);
  await page.goto(t.base + '/relationships/new');
  b = await boxes(page);
  expect.equal(b.at.start_date.y, b.at.end_date.y, 'start and end side by side');
  await page.goto(t.base + '/interactions/new');
  b = await boxes(page);
  expect.ok(b.at.date.width < b.form / 3, `a date is not full width (${b.at.date.width} of ${b.form})`);
  expect.ok(b.at.kind.width < b.form / 2, `a choice is not full width (${b.at.kind.width} of ${b.form})`);
  expect.equal(b.at.date.y, b.at.kind.y, 'date and kind side by side');
  expect.ok(b.at['subject'].width > b.form * 0.9, 'a subject keeps the full width');
  await t.axe();

  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/persons/new', '/relationships/new', '/interactions/new', '/organizations/new']) {
    await page.goto(t.base + path);
    b = await boxes(page);
    expect.ok(b.scroll <= b.inner, `${path} fits the phone (${b.scroll} px)`);
    const lefts = new Set(Object.values(b.at).map((x) => x.x));
    const rows = new Set(Object.values(b.at).map((x) => x.y));
    expect.equal(rows.size, Object.keys(b.at).length, `${path}: one field a row on a phone`);
    expect.ok(lefts.size <= 2, `${path}: one column (${[...lefts]})`); // an invalid field's bar moves it, not here
  }
}

// A country is chosen by the name the reader uses, in the page's language:
// on a French page "Bolivi" offers "Bolivie", and the form keeps its code.
export async function countryChosenByNameInFrench(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  await page.goto(t.base + '/organizations/new?lang=fr');
  await page.getByLabel('English').fill('Corrabel Salt Flats Cooperative');
  await page.getByRole('combobox', { name: 'Type' }).selectOption({ value: 'cso' });
  const field = page.getByRole('combobox', { name: 'Pays', exact: true });
  await field.pressSequentially('Bolivi', { delay: 30 });
  const option = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: 'Bolivie', exact: true });
  await option.waitFor({ state: 'visible' });
  await option.click();
  expect.equal(await field.inputValue(), 'Bolivie', 'the field shows the French name');
  expect.equal(await page.locator('#f-country-id').inputValue(), 'BO', 'and holds the code');
  await t.clickAndLoad(page.getByRole('button', { name: 'Enregistrer', exact: true }));
  expect.ok(/^\/organizations\/\d+$/.test(t.path()), `saved (at ${t.path()})`);
  expect.equal(await page.locator('main').getByRole('link', { name: 'Bolivie', exact: true }).getAttribute('href'),
    '/countries/BO', 'the organization names its country as people do');
}
