// The inquiry desk from both sides: someone without an account asks a
// question in Spanish through the public form (/ask), staff triage and
// answer it from the queue (/desk), and the asker reads the answer on the
// private tracking page.  Also: the hidden "website" field that catches robots.
//
// The asker has a browser of their own (a second context, Spanish as the
// browser's language, no cookies); t.page is the staff member's.  The second
// context gets the same automatic accessibility check as t.page.

import { AccessibilityWatch } from './axe.mjs';

const STEP_TIMEOUT = 10_000; // as in run.mjs: one action or wait

// Runs `steps(asker)` with a public browser whose language is `locale`, where
// `asker` is { page, clickAndLoad(locator), path() }.  The context's
// accessibility problems and script errors fail the test, as t.page's do.
async function withPublicBrowser(t, locale, steps) {
  const context = await t.page.context().browser().newContext({ locale, timezoneId: 'UTC' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const watch = new AccessibilityWatch(context, STEP_TIMEOUT);
  await watch.attach();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`${page.url()}: script error: ${err.message}`));
  const asker = {
    page,
    path: () => new URL(page.url()).pathname,
    // Listen first: the load may come before click() returns.
    clickAndLoad: (locator) => Promise.all([page.waitForEvent('load'), locator.click()]),
  };
  let failure = null;
  try {
    await steps(asker);
  } catch (err) {
    failure = err;
  }
  await watch.settle(); // the last page's check
  await context.close().catch(() => {});
  const problems = [...errors, ...watch.problems];
  if (failure) {
    // Keep the step that failed first; the public context's problems follow.
    if (problems.length) failure.message += '\n(public browser) ' + problems.join('\n(public browser) ');
    throw failure;
  }
  if (problems.length) throw new Error('public browser:\n    ' + problems.join('\n    '));
}

// The text of the fact labelled `label` in the page's dl.facts (null when
// there is no such fact, rather than waiting for one).
async function fact(page, label) {
  const dt = page.locator('dl.facts > dt').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) });
  if ((await dt.count()) !== 1) return null;
  return (await dt.locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

// Fills and sends the public form, already on screen in Spanish.  The labels
// are the Spanish ones of src/web/po/es.po.
async function askInSpanish(asker, inquiry) {
  const { page } = asker;
  await page.getByRole('textbox', { name: 'Su nombre', exact: true }).fill(inquiry.name);
  await page.getByRole('textbox', { name: 'Su dirección de correo electrónico', exact: true }).fill(inquiry.email);
  await page.getByRole('textbox', { name: 'Asunto', exact: true }).fill(inquiry.subject);
  await page.getByRole('textbox', { name: 'Su pregunta', exact: true }).fill(inquiry.question);
  await asker.clickAndLoad(page.locator('form[action="/ask"]').getByRole('button', { name: 'Enviar', exact: true }));
}

// The inquiries whose subject is `subject`, as the API lists them to the
// signed-in user of t.page (page.request carries the session cookie).
async function inquiriesWithSubject(t, subject) {
  const res = await t.page.request.get(t.base + '/api/v1/inquiries?limit=500', { headers: { Accept: 'application/json' } });
  t.expect.equal(res.status(), 200, 'GET /api/v1/inquiries');
  const body = await res.json();
  t.expect.ok(Array.isArray(body.items), 'the API answers with a list of items');
  return body.items.filter((i) => i.subject === subject);
}

const REFERENCE = /INQ-\d{4}-\d{6}/;

// The scenario: submit the public form in Spanish, triage it, answer
// it, see the answer on the tracking page.
export async function inquiryDeskInSpanish(t) {
  const { page, expect } = t;
  const inquiry = {
    name: 'Maritza Quebrantal Oyarzo',
    email: 'maritza.quebrantal@example.org',
    subject: 'Plazo del taller de cartografía costera de Valdeluna',
    question: '¿Hasta qué fecha se aceptan candidaturas para el taller de cartografía costera de Valdeluna?',
  };
  const answer = 'Estimada Sra. Quebrantal: las candidaturas para el taller de Valdeluna se aceptan hasta el 30 de abril.';

  await withPublicBrowser(t, 'es-ES', async (asker) => {
    // 1. The public form, in Spanish because the browser asks for Spanish.
    await asker.page.goto(t.base + '/ask');
    expect.equal(await asker.page.locator('html').getAttribute('lang'), 'es', '/ask follows Accept-Language: html[lang]');
    await askInSpanish(asker, inquiry); // the hidden "website" field stays empty, as a person leaves it
    expect.equal(asker.path(), '/ask', 'the form answers on /ask');
    expect.equal(await asker.page.locator('main h1').innerText(), 'Gracias', 'the thanks page, in Spanish');
    const received = await asker.page.locator('main .notice[role=status]').innerText();
    const ref = (REFERENCE.exec(received) || [])[0];
    expect.ok(ref, `the thanks page gives a reference INQ-YYYY-NNNNNN (${JSON.stringify(received)})`);
    const tracking = asker.page.getByRole('link', { name: 'Seguir mi consulta', exact: true });
    expect.equal(new URL(await tracking.getAttribute('href'), t.base).pathname, `/track/${ref}`,
      'the thanks page links to the tracking page of that reference');

    // 2. Staff find it in the queue by its reference.
    await t.signIn('ana');
    await page.goto(t.base + '/desk');
    const row = page.locator('table.records tbody tr').filter({ has: page.getByRole('cell', { name: ref, exact: true }) });
    expect.equal(await row.count(), 1, `the queue has one row with ${ref}`);
    // No routing rule in this database: the front office has it.
    expect.equal(await row.getByRole('cell').nth(3).innerText(), 'Front Office', 'the queue\'s Division column, by its name');
    await t.clickAndLoad(row.getByRole('link', { name: inquiry.subject, exact: true }));
    expect.ok(/^\/inquiries\/[^/]+$/.test(t.path()), `the row opens the inquiry (at ${t.path()})`);
    expect.equal(await page.locator('main h1').innerText(), inquiry.subject, 'the inquiry page shows its subject');

    // Why it went where it went, in words.
    const routing = page.getByRole('region', { name: 'Routing', exact: true });
    expect.includes(await routing.innerText(), 'front office', 'the routing explanation');
    // The form was sent in Spanish: the inquiry's language is Spanish (shown in ana's English).
    expect.equal(await fact(page, 'Language'), 'Spanish', 'the language of an inquiry sent from the Spanish form');

    // Triage it.
    // The page offers the moves the workflow has from "New", never "New" itself.
    const moves = page.getByRole('form', { name: 'Move to', exact: true });
    expect.equal((await moves.getByRole('button').allInnerTexts()).map((s) => s.trim()).join(' | '),
      'Triaged | Assigned | Waiting on requester | Answered | Closed', 'the moves offered from New');
    await t.clickAndLoad(moves.getByRole('button', { name: 'Triaged', exact: true }));
    expect.equal((await page.locator('main .notice[role=status]').innerText()).trim(), 'Saved.', 'the status change is saved');
    expect.equal(await fact(page, 'Status'), 'Triaged', 'the inquiry is triaged');

    // Answer it, in the asker's language.
    await page.locator('#body').fill(answer);
    await t.clickAndLoad(page.locator('form').filter({ has: page.locator('#body') })
      .getByRole('button', { name: 'Send', exact: true }));
    expect.equal((await page.locator('main .notice[role=status]').innerText()).trim(), 'Saved.', 'the answer is saved');
    expect.includes(await page.locator('ol.timeline').innerText(), answer, 'the thread shows the answer');
    expect.equal(await fact(page, 'Status'), 'Answered', 'answering marks the inquiry answered');

    // 3. The asker follows the private link from the thanks page.
    await asker.clickAndLoad(tracking);
    expect.equal(asker.path(), `/track/${ref}`, 'the link opens the tracking page');
    expect.equal(await asker.page.locator('html').getAttribute('lang'), 'es', 'the tracking page is in Spanish');
    expect.equal(await fact(asker.page, 'Estado'), 'Respondida', 'the tracking page says "answered" in Spanish');
    expect.includes(await asker.page.locator('main').innerText(), answer, 'the tracking page shows the answer');
  });
}

// A robot fills every field, the hidden "website" one too: it is thanked like
// anyone, with a receipt of the same shape (so it learns nothing from the
// answer), and nothing is kept.  The same form without that field does create
// an inquiry, so the API check below can see one.
export async function inquiryHoneypot(t) {
  const { page, expect } = t;
  const robot = {
    name: 'Bartolo Ganzúa Ferrán',
    email: 'bartolo.ganzua@example.org',
    subject: 'Oferta de relojes de arena de Castrumbre',
    question: 'Relojes de arena al por mayor, envío gratuito desde Castrumbre.',
  };
  const person = {
    name: 'Nerea Albaricoz Pumar',
    email: 'nerea.albaricoz@example.org',
    subject: 'Visita de la delegación de Puerto Sarandí',
    question: '¿Pueden recibir a una delegación de Puerto Sarandí en junio?',
  };

  await withPublicBrowser(t, 'es-ES', async (asker) => {
    await asker.page.goto(t.base + '/ask');
    await asker.page.fill('#f-website', 'https://relojes-castrumbre.example'); // hidden from people, not from robots
    await askInSpanish(asker, robot);
    expect.equal(await asker.page.locator('main h1').innerText(), 'Gracias', 'a robot is thanked like anyone');
    expect.ok(REFERENCE.test(await asker.page.locator('main').innerText()), 'a robot gets a receipt of the usual shape');
    const decoy = asker.page.getByRole('link', { name: 'Seguir mi consulta', exact: true });
    expect.equal(await decoy.count(), 1, 'a robot gets a tracking link like anyone');
    await decoy.click();
    expect.ok(!(await asker.page.locator('main').innerText()).includes(robot.subject),
      'the robot\'s receipt leads to nothing kept');

    await asker.page.goto(t.base + '/ask');
    await askInSpanish(asker, person);
    expect.ok(REFERENCE.test(await asker.page.locator('main').innerText()), 'a person gets a reference');
  });

  await t.signIn('ana');
  expect.equal((await inquiriesWithSubject(t, robot.subject)).length, 0, 'inquiries kept from the robot');
  expect.equal((await inquiriesWithSubject(t, person.subject)).length, 1, 'inquiries kept from the person');
}

// The triage panel of an inquiry's page: the division chosen by its name, the
// owner by a few letters of theirs in the type-ahead, priority and topic, saved
// in one go; then "Assign to me".  And the desk's table at 1280 pixels, in three
// languages, with its requester column, never wider than the screen.
export async function inquiryTriagePanel(t) {
  const { page, expect } = t;
  await t.signIn('ana');
  const { api } = await import('./pages.mjs');
  const org = await api(t, 'POST', '/api/v1/organizations?force=true', { name: { en: 'Brackenford Quay Authority' }, type: 'other' });
  const inquiry = await api(t, 'POST', '/api/v1/inquiries', {
    channel: 'phone', subject: 'Brackenford quay berths for a training ship', body: 'How many berths are free in May?',
    requester_organization: org.id,
    requester_email: 'harbourmaster.lindqvist-abernathy@brackenford-quay-authority.example.org' });
  // a requester known by a long address alone: the column wraps it rather than widen the table
  await api(t, 'POST', '/api/v1/inquiries', { channel: 'letter', subject: 'Brackenford pilotage certificates',
    requester_email: 'deputyharbourmasterlindqvistabernathypilotage@brackenfordquayauthorityportofficesnorth.example.org' });
  await page.goto(t.base + `/inquiries/${inquiry.reference}`);
  const panel = page.getByRole('region', { name: 'Triage', exact: true });
  const division = panel.getByRole('combobox', { name: 'Division', exact: true });
  expect.equal((await division.locator('option:checked').innerText()).trim(), 'Front Office', 'the division by its name');
  await division.selectOption({ label: 'Media and Communications Division' });
  const owner = panel.getByRole('combobox', { name: 'Owner', exact: true });
  await owner.pressSequentially('an', { delay: 30 });
  const option = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').filter({ hasText: 'ana' }).first();
  await option.waitFor({ state: 'visible' });
  await t.axe();
  await option.click();
  await panel.getByRole('combobox', { name: 'Priority', exact: true }).selectOption({ label: 'High' });
  await panel.getByRole('textbox', { name: 'Topic', exact: true }).fill('berths');
  await t.clickAndLoad(panel.getByRole('button', { name: 'Save', exact: true }));
  expect.equal((await page.locator('main .notice[role=status]').innerText()).trim(), 'Saved.', 'the panel is saved');
  expect.equal(await fact(page, 'Status'), 'Triaged', 'a new inquiry is triaged by its triage');
  expect.equal(await fact(page, 'Priority'), 'High', 'the priority chosen');
  expect.equal(await fact(page, 'Topic'), 'berths', 'the topic written');
  expect.includes(await fact(page, 'Owner'), 'ana', 'the owner chosen by name');
  expect.equal((await page.getByRole('region', { name: 'Triage', exact: true }).getByRole('combobox', { name: 'Division', exact: true })
    .locator('option:checked').innerText()).trim(), 'Media and Communications Division', 'the division saved');

  await t.clickAndLoad(page.getByRole('region', { name: 'Triage', exact: true }).getByRole('button', { name: 'Assign to me', exact: true }));
  expect.equal(await fact(page, 'Status'), 'Assigned', '"Assign to me" assigns it');

  await page.setViewportSize({ width: 1280, height: 800 });
  for (const [lang, name] of [['en', 'Media and Communications Division'], ['fr', 'Division des médias et de la communication'],
    ['es', null]]) {
    await page.goto(t.base + `/desk?lang=${lang}`);
    const row = page.locator('table.records tbody tr').filter({ hasText: inquiry.reference });
    expect.equal(await row.count(), 1, `the desk (${lang}) lists the inquiry`);
    expect.includes(await row.getByRole('cell').nth(2).innerText(), 'Brackenford Quay Authority', `the requester column (${lang})`);
    const byAddress = page.locator('table.records tbody tr').filter({ hasText: 'Brackenford pilotage certificates' });
    expect.includes(await byAddress.getByRole('cell').nth(2).innerText(), 'deputyharbourmaster', `an address alone (${lang})`);
    if (name) expect.equal(await row.getByRole('cell').nth(3).innerText(), name, `the division by its name (${lang})`);
    const wide = await page.evaluate(() => {
      const wrap = document.querySelector('div.table-wrap');
      return { page: document.documentElement.scrollWidth, wrap: wrap.scrollWidth, shown: wrap.clientWidth };
    });
    expect.ok(wide.page <= 1280 && wide.wrap <= wide.shown, `the desk (${lang}) fits 1280 px: ${JSON.stringify(wide)}`);
  }
}

// The requester answers from the tracking page: the message joins the thread
// and brings the answered inquiry back to the desk.
export async function requesterAnswersFromTracking(t) {
  const { page, expect } = t;
  const subject = 'Registro de buques de investigación en Brackenford';
  let tracking;
  await withPublicBrowser(t, 'es-ES', async (asker) => {
    await asker.page.goto(t.base + '/ask');
    expect.ok((await asker.page.locator('main p.org').innerText()).length > 0, 'the form says whose it is');
    expect.equal(await asker.page.getByRole('region', { name: 'Sus datos personales', exact: true }).count(), 1,
      'the form has its privacy notice');
    await askInSpanish(asker, { name: 'Ilse Brandvold', email: 'ilse.brandvold@example.org', subject,
      question: '¿Dónde se registran los buques de investigación?' });
    tracking = await asker.page.getByRole('link', { name: 'Seguir mi consulta', exact: true }).getAttribute('href');
  });
  await t.signIn('ana');
  const [inquiry] = await inquiriesWithSubject(t, subject);
  const { api } = await import('./pages.mjs');
  await api(t, 'POST', `/api/v1/inquiries/${inquiry.reference}/reply`, { body: 'En la capitanía del puerto.' });
  await withPublicBrowser(t, 'es-ES', async (asker) => {
    await asker.page.goto(t.base + tracking);
    expect.equal(await fact(asker.page, 'Estado'), 'Respondida', 'answered');
    const form = asker.page.getByRole('region', { name: 'Escríbanos sobre esta consulta', exact: true });
    await form.getByRole('textbox', { name: 'Su mensaje', exact: true }).fill('Gracias. ¿Y los horarios?');
    await asker.clickAndLoad(form.getByRole('button', { name: 'Enviar', exact: true }));
    expect.equal((await asker.page.locator('main .notice[role=status]').innerText()).trim(),
      'Su mensaje se ha añadido a su consulta.', 'the page says it was added');
    expect.includes(await asker.page.locator('main').innerText(), 'Gracias. ¿Y los horarios?', 'and shows it');
    expect.equal(await fact(asker.page, 'Estado'), 'Asignada', 'the inquiry is back on the desk');
  });
  await page.goto(t.base + `/inquiries/${inquiry.reference}`);
  expect.includes(await page.locator('ol.timeline').innerText(), 'Gracias. ¿Y los horarios?', 'staff see it in the thread');
}
