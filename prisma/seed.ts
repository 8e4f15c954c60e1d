import type { PrismaClient } from '../lib/db';
import { DEMO_ORGANS, DEMO_USERS } from './demo';

// Seeds the demo organs and one user per role. Idempotent: running it again changes nothing.
export async function seedDemo(prisma: PrismaClient): Promise<void> {
  for (const o of DEMO_ORGANS) {
    await prisma.organ.upsert({ where: { id: o.id }, create: { id: o.id, name: o.name }, update: { name: o.name } });
  }
  for (const u of DEMO_USERS) {
    const data = { name: u.name, organId: u.organId, roles: u.roles, active: true };
    await prisma.staffUser.upsert({ where: { id: u.id }, create: { id: u.id, ...data }, update: data });
  }
}
