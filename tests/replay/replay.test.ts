import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { fromRoot } from '../../lib/paths';
import { env } from '../support/stack';

// Every change to workflow code must replay the histories recorded from real procedures
// (npm run record-histories). A nondeterministic change fails here, not in production.

const dir = fromRoot('tests', 'fixtures', 'histories');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

it('has recorded histories of whole procedures, from every workflow version, to replay', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'v1-full-procedure.json',
      'v1-returned-and-revised.json',
      'v1-withdrawn.json',
      'v2-full-procedure.json',
      'v2-returned-and-revised.json',
      'v2-withdrawn.json',
      'v2-amended-after-adoption.json',
      'v2-commitment-paid-late.json',
      // v3: the records written through local activities (patch local-recording-v1)
      'v3-full-procedure.json',
      'v3-returned-and-revised.json',
      'v3-withdrawn.json',
      'v3-amended-after-adoption.json',
      'v3-commitment-paid-late.json',
    ]),
  );
  const full = JSON.parse(fs.readFileSync(path.join(dir, 'v2-full-procedure.json'), 'utf8'));
  const updates = full.events.filter(
    (e: any) =>
      e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED' ||
      e.workflowExecutionUpdateCompletedEventAttributes,
  );
  expect(updates.length).toBeGreaterThan(20);
  const v3 = JSON.parse(fs.readFileSync(path.join(dir, 'v3-full-procedure.json'), 'utf8'));
  const markers = v3.events.filter(
    (e: any) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED' || e.markerRecordedEventAttributes,
  );
  expect(markers.length).toBeGreaterThan(20);
});

it('replays every recorded history without nondeterminism', async () => {
  const histories = files.map((f) => ({
    workflowId: f,
    history: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: env('DUEPROCESS_TEST_BUNDLE') }, replayName: 'dueprocess-replay' },
    histories,
  )) {
    replayed++;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
