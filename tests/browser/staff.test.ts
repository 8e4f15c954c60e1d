import { LANGS, signIn, startPortal, TEXT, type Portal } from './support';
import { unique } from '../support/portal';
import { STACK_HOOK_MS } from '../support/wait';

// Journeys in the staff workspace: an expert files a signed opinion from the inbox; an official
// tries to send a decision to collective discussion before legality review and is shown the
// refusal with its legal basis (and the attempt is in the audit chain).

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal(['official-zhang', 'expert-li']);
}, STACK_HOOK_MS);
afterAll(() => portal?.stop(), STACK_HOOK_MS);

const secret = { flags: { nonDisclosable: true }, nonDisclosableReason: 'Internal security arrangements' };

describe.each(LANGS)('staff (%s)', (lang) => {
  const t = TEXT[lang];

  it('an expert files a signed opinion from the inbox', async () => {
    const title = `Expert journey ${lang} ${Date.now()}`;
    const created = await portal.api.create({
      id: unique(`expert-${lang.toLowerCase()}`),
      title,
      templateId: 'demo',
      flags: { specialised: true, nonDisclosable: true },
      nonDisclosableReason: 'Internal security arrangements',
    });
    expect(created.status).toBe(201);
    const id = created.body.result.id;
    const assigned = await portal.api.act(id, 'official-zhang', 'assign', {
      stage: 'expert-demonstration',
      assignees: [{ userId: 'expert-li', dissentingView: true }],
    });
    expect(assigned.status).toBe(200);

    const expert = await portal.page(lang);
    await signIn(expert, 'expert-li');
    const inbox = expert.locator('section', { has: expert.locator('#h-assigned') });
    expect(await inbox.locator('h2').textContent()).toBe(t.assignedToYou);
    const row = inbox.locator('tr', { hasText: title });
    expect(await row.locator('time').count()).toBe(1);
    await row.getByRole('link', { name: t.fileExpert }).click();

    // Nothing filled in: each missing field says so next to itself.
    await expert.locator('main form button[type=submit]').click();
    await expert.locator('.error-summary').waitFor();
    expect(await expert.locator('#f-opinion').getAttribute('aria-invalid')).toBe('true');
    expect(await expert.locator('#f-signature-signedBy').inputValue()).toBe('Li Wei');

    await expert.locator('#f-opinion').fill('The fare model is feasible; keep the student concession.');
    await expert.locator('#f-conclusion').selectOption('supports-with-changes');
    await expert.locator('#f-signature-method').selectOption('e-signature');
    await expert.locator('#f-interestDeclaration-statement').fill('I hold no interest in the bus operators.');
    await expert.locator('main form button[type=submit]').click();
    await expert.waitForURL(/\/staff\/decisions\/[^/]+\?done=file-expert-opinion/);
    expect(await expert.locator('[role=status]').textContent()).toContain(t.recorded);

    const record = await portal.stack.prisma.stageRecord.findFirst({
      where: { decisionId: id, kind: 'expert-opinion' },
    });
    expect(record?.actorId).toBe('expert-li');
    expect(record?.content).toMatchObject({
      conclusion: 'supports-with-changes',
      signature: { signedBy: 'Li Wei', method: 'e-signature' },
      interestDeclaration: { directInterest: false },
    });
  });

  it('an official who sends a decision to discussion before legality review sees the refusal and its legal basis', async () => {
    const title = `Out of order ${lang} ${Date.now()}`;
    const created = await portal.api.create({ id: unique(`order-${lang.toLowerCase()}`), title, ...secret });
    const id = created.body.result.id;

    const official = await portal.page(lang);
    await signIn(official, 'official-zhang');
    await official.goto(`/staff/decisions/${id}`);
    await official.getByRole('link', { name: t.submitForDiscussion }).click();
    await official.locator('#f-packageSummary').fill('Draft v1 with the outcomes of the stages so far.');
    await official.locator('main form button[type=submit]').click();

    const refusal = official.locator('.refusal');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    const text = await refusal.textContent();
    expect(text).toContain(t.refused);
    expect(text).toContain(t.legalityFirst);
    expect(text).toContain('LEGALITY_REVIEW_REQUIRED');
    expect(text).toContain(t.legalBasis);
    expect(await refusal.locator('.legal-basis').textContent()).toMatch(/Decree 713 Art 25/);
    // What was typed is still there to correct or keep.
    expect(await official.locator('#f-packageSummary').inputValue()).toBe(
      'Draft v1 with the outcomes of the stages so far.',
    );

    const refused = await portal.stack.prisma.auditEntry.findMany({
      where: { decisionId: id, outcome: 'refused', action: 'submit-for-discussion' },
    });
    expect(refused.map((e) => e.code)).toEqual(['LEGALITY_REVIEW_REQUIRED']);
  });
});
