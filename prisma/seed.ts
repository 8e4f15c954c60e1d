import type { PrismaClient } from '../lib/db';
import { DEMO_ORGANS, DEMO_USERS } from './demo';

// Seeds the demo organs, offices and the people holding them. Idempotent: running it again
// changes nothing, and never reopens a term a handover has closed.
const DEMO_TERMS_START = new Date('2026-01-01T00:00:00+08:00');

export async function seedDemo(prisma: PrismaClient): Promise<void> {
  for (const o of DEMO_ORGANS) {
    await prisma.organ.upsert({ where: { id: o.id }, create: { id: o.id, name: o.name }, update: {} });
  }
  for (const u of DEMO_USERS) {
    await prisma.staffUser.upsert({ where: { id: u.id }, create: { id: u.id, name: u.name, organId: u.organId }, update: {} });
    await prisma.office.upsert({
      where: { id: u.officeId },
      create: { id: u.officeId, organId: u.organId, role: u.roles[0], title: u.officeTitle },
      update: {},
    });
    const termId = `demo:${u.officeId}`;
    await prisma.officeTerm.upsert({ where: { id: termId }, create: { id: termId, officeId: u.officeId, userId: u.id, startsAt: DEMO_TERMS_START }, update: {} });
  }
}
