// A decision worker in its own process, so the durability test can kill it with SIGKILL.
// Configured by the test through the environment; DUEPROCESS_TEST_NOTIFY_DELAY_MS slows the
// outbound notifier so the process can be killed inside an activity, after its transaction.
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { loadWorkingCalendar } from '../../lib/calendar';
import { createPool, createPrisma } from '../../lib/db';
import { createDecisionWorker } from '../../server/worker';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const delay = Number(process.env.DUEPROCESS_TEST_NOTIFY_DELAY_MS ?? 0);
  const pool = createPool(process.env.DUEPROCESS_TEST_DB!, 4);
  const prisma = createPrisma(pool);
  const connection = await NativeConnection.connect({ address: process.env.DUEPROCESS_TEST_TEMPORAL! });
  const worker = await createDecisionWorker({
    connection,
    namespace: 'default',
    taskQueue: process.env.DUEPROCESS_TEST_TASK_QUEUE!,
    prisma,
    calendar: () => loadWorkingCalendar(),
    workflowBundle: { codePath: process.env.DUEPROCESS_TEST_BUNDLE! },
    identity: `durability-${process.pid}`,
    notifier: {
      async deliver(n) {
        await new Promise((r) => setTimeout(r, delay));
        process.stdout.write(`delivered ${n.id}\n`);
      },
    },
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
