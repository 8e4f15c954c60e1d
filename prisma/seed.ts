import type { PrismaClient } from '../lib/db';
import { DEMO_ORGANS, DEMO_USERS } from './demo';

// Seeds the demo organs, offices and the people holding them. Idempotent and safe to run
// concurrently (INSERT … ON CONFLICT DO NOTHING): running it again changes nothing, and never
// reopens a term a handover has closed.
const DEMO_TERMS_START = new Date('2026-01-01T00:00:00+08:00');

export async function seedDemo(prisma: PrismaClient): Promise<void> {
  await prisma.organ.createMany({ skipDuplicates: true, data: DEMO_ORGANS.map((o) => ({ id: o.id, name: o.name })) });
  await prisma.staffUser.createMany({
    skipDuplicates: true,
    data: DEMO_USERS.map((u) => ({ id: u.id, name: u.name, organId: u.organId })),
  });
  await prisma.office.createMany({
    skipDuplicates: true,
    data: DEMO_USERS.map((u) => ({ id: u.officeId, organId: u.organId, role: u.roles[0], title: u.officeTitle })),
  });
  await prisma.officeTerm.createMany({
    skipDuplicates: true,
    data: DEMO_USERS.map((u) => ({
      id: `demo:${u.officeId}`,
      officeId: u.officeId,
      userId: u.id,
      startsAt: DEMO_TERMS_START,
    })),
  });
}
