// Using the pages with the keyboard alone: the skip link, then signing in
// with Tab, typing and Enter — no mouse, no filling fields from the script.

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return {
    tag: el ? el.tagName.toLowerCase() : null,
    id: el ? el.id : null,
    skip: !!(el && el.matches('a.skip')),
    inMain: !!(el && el.closest('main')),
  };
});

// Focus moves after the key's events are handled, which on a busy machine can
// trail the keypress: wait for it (briefly) before asking where it is.
async function focusReaches(page, id) {
  await page.waitForFunction((want) => document.activeElement && document.activeElement.id === want, id,
    { timeout: 5000 }).catch(() => {});
}

export async function keyboardOnly(t) {
  const { page, expect } = t;
  await page.goto(t.base + '/sign-in');

  // The first Tab reaches the skip link, which then shows on screen.
  await page.keyboard.press('Tab');
  expect.ok((await focused(page)).skip, 'the skip link is the first focusable element');
  const box = await page.locator('a.skip').boundingBox();
  expect.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen');

  // Following it moves the keyboard to the main content: the next Tab lands in
  // <main> (the name field), not on the header's links.
  await page.keyboard.press('Enter');
  // the browser follows the link after the key's events: wait for it, briefly
  await page.waitForFunction(() => location.hash === '#main', null, { timeout: 5000 }).catch(() => {});
  expect.equal(new URL(page.url()).hash, '#main', 'the skip link leads to #main');
  await page.keyboard.press('Tab');
  await focusReaches(page, 'name');
  let now = await focused(page);
  expect.ok(now.inMain, `after the skip link, Tab goes into <main> (focus on ${now.tag}#${now.id})`);
  expect.equal(now.id, 'name', 'the first field of the sign-in form');

  await page.keyboard.type('ana');
  await page.keyboard.press('Tab');
  await focusReaches(page, 'password');
  now = await focused(page);
  expect.equal(now.id, 'password', 'Tab goes from the name to the password');
  await page.keyboard.type(t.users.ana);
  await Promise.all([page.waitForURL((url) => url.pathname === '/', { waitUntil: 'load' }), page.keyboard.press('Enter')]);

  expect.equal(t.path(), '/', 'Enter in the password field signs in and leads home');
  expect.equal(await page.locator('main h1').innerText(), 'Home', 'the home page');
  expect.includes(await page.locator('header.site').innerText(), 'ana', 'signed in as ana');

  // On the home page too, the skip link comes first.
  await page.keyboard.press('Tab');
  expect.ok((await focused(page)).skip, 'the skip link is the first focusable element of the home page');
}
