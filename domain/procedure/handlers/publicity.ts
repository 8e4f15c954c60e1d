import { resolvePlainDuration } from '../../duration';
import { Refusal } from '../../refusals';
import { addDeadline, addRecord, deadlineById, iso, passStage, recordsOf } from '../model';
import { assertPublishable } from '../invariants';
import type { ActionHandler } from './types';

// Stage 7, publicity and hearing (Decree 713 Arts 16–17, 31–32): the adopted decision is announced
// for the objection window; a required hearing is noticed with materials sent at least the
// template lead time ahead, held, and its record signed by the participants; the Party committee
// report is recorded (Art 31); then the decision is published and enters into force.

const OBJECTION_DEADLINE = 'objection-window';

export const announce: ActionHandler<'announce'> = {
  check({ state }) {
    if (state.status !== 'adopted') throw new Refusal('ALREADY_FILED', 'the decision is already announced');
  },
  apply({ state, payload, by, now }, ev) {
    const d = addDeadline(state, OBJECTION_DEADLINE, 'objection-window', now, state.template.durations.objectionWindow);
    state.status = 'announced';
    addRecord(state, ev, 'publicity-and-hearing', 'announcement', by, {
      announcement: payload.announcement,
      objectionsUntil: d.at === null ? null : iso(d.at),
    });
    ev.effect(`announced; objection window until ${d.at === null ? '?' : iso(d.at)}`);
  },
};

export const scheduleHearing: ActionHandler<'schedule-hearing'> = {
  check({ state, payload, now }) {
    if (!state.flags.hearingRequired)
      throw new Refusal('HEARING_NOT_REQUIRED', 'no hearing is required for this decision');
    if (recordsOf(state, 'publicity-and-hearing', 'hearing-record').length)
      throw new Refusal('ALREADY_FILED', 'the hearing has been held');
    const heldAt = Date.parse(payload.heldAt);
    if (heldAt <= now) {
      throw new Refusal('INVALID_INPUT', 'a hearing is announced in advance', {
        issues: [{ path: 'heldAt', message: 'must be in the future' }],
      });
    }
    const lead = state.template.durations.hearingMaterialsLead;
    const earliest = resolvePlainDuration(Date.parse(payload.materialsSentAt), lead, state.template.utcOffsetMinutes);
    if (earliest === null || heldAt < earliest) {
      throw new Refusal(
        'HEARING_NOTICE_TOO_SHORT',
        `materials sent at ${payload.materialsSentAt} allow a hearing from ${earliest === null ? '?' : iso(earliest)}`,
        {
          earliestHearingAt: earliest === null ? null : iso(earliest),
        },
      );
    }
  },
  apply({ state, payload, by }, ev) {
    addRecord(state, ev, 'publicity-and-hearing', 'hearing-notice', by, payload);
    ev.effect(`hearing noticed for ${payload.heldAt} at ${payload.place}`);
  },
};

export const recordHearing: ActionHandler<'record-hearing'> = {
  check({ state, payload, now }) {
    const notices = recordsOf(state, 'publicity-and-hearing', 'hearing-notice');
    const notice = notices[notices.length - 1];
    if (!notice) throw new Refusal('HEARING_REQUIRED', 'notice the hearing before recording it');
    if (recordsOf(state, 'publicity-and-hearing', 'hearing-record').length)
      throw new Refusal('ALREADY_FILED', 'the hearing record is filed');
    if (now < Date.parse(notice.content.heldAt as string)) {
      throw new Refusal('HEARING_NOT_HELD_YET', `the hearing is noticed for ${notice.content.heldAt}`);
    }
    const participants = (notice.content.participants as Array<{ name: string }>).map((p) => p.name);
    const signed = new Set(payload.signatures.map((s) => s.participant));
    const missing = participants.filter((p) => !signed.has(p));
    if (missing.length) {
      throw new Refusal('HEARING_RECORD_UNSIGNED', `participants have not signed the record: ${missing.join(', ')}`, {
        missing,
      });
    }
  },
  apply({ state, payload, by }, ev) {
    addRecord(state, ev, 'publicity-and-hearing', 'hearing-record', by, payload);
    ev.effect('hearing record signed by every participant');
  },
};

export const reportToPartyCommittee: ActionHandler<'report-to-party-committee'> = {
  check({ state }) {
    if (recordsOf(state, 'publicity-and-hearing', 'party-committee-report').length) {
      throw new Refusal('ALREADY_FILED', 'the report to the Party committee is recorded');
    }
  },
  apply({ state, payload, by }, ev) {
    addRecord(state, ev, 'publicity-and-hearing', 'party-committee-report', by, payload);
    ev.effect('reported to the same-level Party committee (Decree 713 Art 31)');
  },
};

export const publish: ActionHandler<'publish'> = {
  check({ state, payload, now }) {
    if (state.status !== 'announced')
      throw new Refusal('NOT_ANNOUNCED', 'announce the adopted decision for the objection window first');
    const objection = deadlineById(state, OBJECTION_DEADLINE);
    if (!objection || objection.at === null || now < objection.at) {
      throw new Refusal(
        'OBJECTION_WINDOW_OPEN',
        `the objection window is open until ${objection?.at ? iso(objection.at) : '?'}`,
        {
          objectionsUntil: objection?.at ? iso(objection.at) : null,
        },
      );
    }
    if (state.flags.hearingRequired && !recordsOf(state, 'publicity-and-hearing', 'hearing-record').length) {
      throw new Refusal('HEARING_REQUIRED', 'a hearing is required for this decision and its signed record is missing');
    }
    if (!recordsOf(state, 'publicity-and-hearing', 'party-committee-report').length) {
      throw new Refusal(
        'PARTY_COMMITTEE_REPORT_REQUIRED',
        'record the report to the same-level Party committee before issuance',
      );
    }
    if (payload.effectiveAt && Date.parse(payload.effectiveAt) < now) {
      throw new Refusal('EFFECTIVE_BEFORE_PUBLICATION', 'a decision enters into force at or after its publication');
    }
    assertPublishable(state);
  },
  apply({ state, payload, by, now }, ev) {
    const effectiveAt = payload.effectiveAt ? Date.parse(payload.effectiveAt) : now;
    state.status = 'published';
    state.publishedAt = now;
    addRecord(state, ev, 'publicity-and-hearing', 'publication', by, { ...payload, effectiveAt: iso(effectiveAt) });
    passStage(state, 'publicity-and-hearing', ev);
    addDeadline(state, 'entry-into-force', 'entry-into-force', now, {
      seconds: Math.max(0, effectiveAt - now) / 1000 || 0.001,
    });
    ev.effect(`published; enters into force ${iso(effectiveAt)}`);
  },
};
