import { openForComment } from '../support/portal';
import { LANGS, signIn, startPortal, TEXT, type Portal } from './support';
import { STACK_HOOK_MS } from '../support/wait';

// Journey: a citizen reads a pre-disclosed draft, comments on a paragraph (an empty opinion is
// refused next to its field), gets a receipt number; a comment sent after the window closed is
// refused with a clear message and nothing is stored; the official records how the opinion was
// handled in the workspace; the citizen looks the receipt up and sees the handling and reason.

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal(['official-zhang']);
}, STACK_HOOK_MS);
afterAll(() => portal?.stop(), STACK_HOOK_MS);

describe.each(LANGS)('a citizen (%s)', (lang) => {
  const t = TEXT[lang];

  it('comments on a paragraph, is refused after the close with nothing stored, and later sees the disposition under the receipt number', async () => {
    const title = `Bus fares ${lang} ${Date.now()}`;
    // The window closes when the test is ready for it (an early close, its urgency published at the
    // opening), not after a fixed time that a slow browser might not fit its steps into.
    const urgency = { urgencyReason: 'Flood season: the measure must be in force before June.' };
    const id = await openForComment(portal.api, `citizen-${lang.toLowerCase()}`, { title }, { days: 30 }, urgency);
    const citizen = await portal.page(lang);

    await citizen.goto('/');
    expect(await citizen.getAttribute('html', 'lang')).toBe(lang);
    await citizen.getByRole('link', { name: title }).click();
    expect(await citizen.locator('.countdown').textContent()).toContain(t.remaining);
    await citizen.getByRole('link', { name: t.commentOnParagraph2 }).click();

    // An empty opinion: the error is next to the field and tied to it.
    await citizen.getByRole('button', { name: t.submitOpinion }).click();
    await citizen.locator('.error-summary').waitFor();
    expect(await citizen.locator('.error-summary h2').textContent()).toBe(t.problem);
    expect(await citizen.locator('#f-text').getAttribute('aria-invalid')).toBe('true');
    expect(await citizen.locator('#f-text').getAttribute('aria-describedby')).toContain('f-text-error');
    expect(await citizen.locator('#f-text-error').isVisible()).toBe(true);
    expect(await citizen.locator('#f-paragraph').inputValue()).toBe('2');

    await citizen.locator('#f-text').fill('Keep the student concession <b>as it is</b>.');
    await citizen.getByRole('button', { name: t.submitOpinion }).click();
    await citizen.locator('.receipt').first().waitFor();
    expect(await citizen.locator('[role=status]').textContent()).toContain(t.received);
    const receipt = (await citizen.locator('.receipt').first().textContent())!.trim();
    expect(receipt).toMatch(/^OP-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    expect(await citizen.locator('main').textContent()).toContain('Keep the student concession <b>as it is</b>.');

    // A second citizen fills the form while the window is open and sends it after the close.
    const late = await portal.page(lang);
    await late.goto(`/decisions/${id}/comment`);
    await late.locator('#f-text').fill('Sent too late.');
    const closed = await portal.api.act(
      id,
      'official-zhang',
      'close-window-early',
      portal.api.body('close-window-early', 1),
    );
    expect(closed.status).toBe(200);
    await portal.api.waitFor(id, (d) => d.windows.every((w: any) => w.frozen));
    const before = await portal.stack.prisma.opinion.count({ where: { decisionId: id } });
    await late.getByRole('button', { name: t.submitOpinion }).click();
    await late.locator('.error-summary').waitFor();
    expect(await late.locator('.error-summary').textContent()).toContain(t.closed);
    expect(await portal.stack.prisma.opinion.count({ where: { decisionId: id } })).toBe(before);

    // The drafting official handles the opinion in the workspace.
    const official = await portal.page(lang);
    await signIn(official, 'official-zhang');
    await official.goto(`/staff/decisions/${id}/opinions`);
    const item = official.locator(`#o-${receipt.toLowerCase()}`);
    await item.locator('select[name=disposition]').selectOption('partly-adopted');
    await item.locator('input[name=reason]').first().fill('Kept for students under 18 only.');
    await item.getByRole('button', { name: t.recordDisposition }).click();
    await official.waitForURL(/\/opinions/);

    // Later the citizen looks the receipt up.
    await citizen.goto('/receipts');
    await citizen.locator('#f-number').fill(receipt);
    await citizen.getByRole('button', { name: t.lookUp }).click();
    await citizen.locator('dl.facts').waitFor();
    const shown = await citizen.locator('main').textContent();
    expect(shown).toContain(receipt);
    expect(shown).toContain(t.partlyAdopted);
    expect(shown).toContain('Kept for students under 18 only.');
  });
});
