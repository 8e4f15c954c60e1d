import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../lib/db';
import type { Notifier } from '../lib/notifier';
import type { PublicLimits } from '../lib/rate-limit';
import type { TemplateRegistry } from '../lib/templates';

// What every command and query of the application layer is given: the stores, the engine and the
// outbound edges. The composition root (server/) builds it once; both edges (api/, web/) pass it.

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  templates: TemplateRegistry;
  taskQueue?: string;
  /** Sends verification codes to commenters (e-mail, SMS); the log notifier by default. */
  notifier?: Notifier;
  log?: (entry: Record<string, unknown>) => void;
  /**
   * The deployment's secret (the composition root passes the token key's): keys the hashes of
   * verification destinations and the pseudonymous public client ids (app/public/client.ts).
   */
  secret?: Uint8Array;
  /** Per-client limits of public submissions and look-ups, read once when the edge is built. */
  publicLimits?: PublicLimits;
}
