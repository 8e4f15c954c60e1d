import request from 'supertest';
import { exampleBodies } from '../../domain/examples';
import type { ActionName } from '../../domain/actions';
import { startStack, type Stack } from './stack';
import { STACK_HOOK_MS, waitFor } from './wait';

// Drives decisions through the HTTP API of the real app, as a client would.

export { sleep, waitFor, STACK_HOOK_MS, WAIT_MS } from './wait';

export class ApiDriver {
  constructor(readonly stack: Stack) {}

  async as(userId: string) {
    return { Authorization: `Bearer ${await this.stack.token(userId)}` };
  }

  /** Creates a decision and, when it was created, waits until the workflow has recorded it. */
  async create(
    overrides: Record<string, unknown> = {},
    userId = 'official-zhang',
    headers: Record<string, string> = {},
  ) {
    const res = await this.createOnly(overrides, userId, headers);
    if (res.status === 201) await this.stack.recorded(res.body.result.id);
    return res;
  }

  async createOnly(
    overrides: Record<string, unknown> = {},
    userId = 'official-zhang',
    headers: Record<string, string> = {},
  ) {
    return request(this.stack.app)
      .post('/api/decisions')
      .set(await this.as(userId))
      .set(headers)
      .send({
        title: 'Reform of urban bus fares',
        summary: 'Distance-based fares',
        templateId: 'test-fast',
        draft: { text: 'Article 1. Fares are set by distance.\n\nArticle 2. Students pay half.', explanation: 'Why.' },
        ...overrides,
      });
  }

  async get(id: string, userId = 'supervisor-lin') {
    return request(this.stack.app)
      .get(`/api/decisions/${id}`)
      .set(await this.as(userId));
  }

  body(action: Exclude<ActionName, 'revise-draft'>, draftVersion: number, overrides: Record<string, unknown> = {}) {
    return { ...exampleBodies({ draftVersion })[action], ...overrides };
  }

  async act(id: string, userId: string, action: string, body: unknown, headers: Record<string, string> = {}) {
    return request(this.stack.app)
      .post(`/api/decisions/${id}/actions/${action}`)
      .set(await this.as(userId))
      .set(headers)
      .send(body as object);
  }

  /** Polls the read model until `pred` holds (timers fire in the workflow, not in the request). */
  async waitFor(
    id: string,
    pred: (d: Record<string, any>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    return waitFor(
      async () => {
        const r = await this.get(id);
        last = r.body.decision;
        return r.status === 200 && pred(last) ? last : null;
      },
      {
        what: `decision ${id} to reach the expected state`,
        timeoutMs,
        state: () => ({ status: last?.status, currentStage: last?.currentStage, windows: last?.windows }),
      },
    );
  }
}

/**
 * The stack of a test file and its driver: started before the file's tests, stopped after them.
 * Read `suite.stack` and `suite.api` inside tests and hooks (they are set in beforeAll).
 */
export function useApiStack(): { stack: Stack; api: ApiDriver } {
  const suite = {} as { stack: Stack; api: ApiDriver };
  beforeAll(async () => {
    suite.stack = await startStack();
    suite.api = new ApiDriver(suite.stack);
  }, STACK_HOOK_MS);
  afterAll(() => suite.stack?.stop(), STACK_HOOK_MS);
  return suite;
}
