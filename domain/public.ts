import type { DecisionState, PublicWindow } from './procedure';

// What the public may see and do (docs/authority.md, "Reads"; Decree 713 Arts 15–18, 32). Pure
// rules, written once: the JSON API, the portal's pages and the open-data exports all ask here.

/**
 * A decision exists for the public once its draft was pre-disclosed (Decree 713 Art 15) or, for a
 * lawfully non-disclosable matter, once it was published (Art 32). Before that it is not found.
 */
export const isPublic = (s: Pick<DecisionState, 'windows' | 'publishedAt'>): boolean =>
  // A read-model row that is not a recorded state (an owner's repair, a test's insert) is not public.
  (s.windows?.length ?? 0) > 0 || (s.publishedAt ?? null) !== null;

/** A window accepts input from its opening until its close, and never once frozen. */
export const windowOpen = (w: Pick<PublicWindow, 'opensAt' | 'closesAt' | 'frozen'>, now = Date.now()): boolean =>
  !w.frozen && w.opensAt <= now && (w.closesAt ?? 0) > now;

/** A window has closed when it was frozen or its closing time has passed. */
export const windowClosed = (w: { closesAt: number | null; frozen: boolean }, now = Date.now()): boolean =>
  w.frozen || (w.closesAt !== null && w.closesAt <= now);

/**
 * The opinion visibility rule: the public sees an opinion's text only after its window has closed
 * (so no commenter reads, and answers, the others while the consultation runs: Decree 713 Art 15),
 * and never when moderation hid it (then the reason is shown). Counts are public while open.
 * `withheld`: the window is still open; the opinion is counted, and nothing else of it is shown.
 */
export type OpinionVisibility = 'visible' | 'hidden' | 'withheld';

export function opinionVisibility(
  o: { hidden: boolean },
  window: { closesAt: number | null; frozen: boolean } | null,
  now = Date.now(),
): OpinionVisibility {
  // An opinion whose window is unknown to the decision is treated as still open: fail closed.
  if (!window || !windowClosed(window, now)) return 'withheld';
  return o.hidden ? 'hidden' : 'visible';
}

/** The text the public may read of an opinion, or null. */
export const publicOpinionText = (
  o: { text: string; hidden: boolean },
  window: { closesAt: number | null; frozen: boolean } | null,
  now = Date.now(),
): string | null => (opinionVisibility(o, window, now) === 'visible' ? o.text : null);

// Hearings (Decree 713 Arts 16–17). Registration is open while a hearing is required and has not
// yet been held: before the notice (participants are then selected by the published method from
// those registered) and after it until the hearing begins. Otherwise nothing is stored.

export interface HearingNotice {
  heldAt: string;
  place: string;
  selectionMethod: string;
  participants: Array<{ name: string; represents: string }>;
  materialsSentAt: string;
}

export type RegistrationState = 'not-required' | 'open' | 'held' | 'closed';

export function registrationState(
  state: Pick<DecisionState, 'flags' | 'status'>,
  notice: HearingNotice | null,
  recordFiled: boolean,
  now = Date.now(),
): RegistrationState {
  if (!state.flags.hearingRequired) return 'not-required';
  if (recordFiled || (notice && Date.parse(notice.heldAt) <= now)) return 'held';
  if (['rejected', 'withdrawn', 'terminated'].includes(state.status)) return 'closed';
  return 'open';
}

// Opinion surveys of livelihood decisions: an answer is checked against the questionnaire the
// officials built (the open-survey action).

export type Question = {
  id: string;
  text: string;
  kind: 'single-choice' | 'multiple-choice' | 'text';
  options?: string[];
};
export type Answers = Record<string, string | string[]>;
export interface AnswerIssue {
  path: string;
  message: string;
}

export function answerIssues(questions: Question[], answers: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.find((x) => x.id === id);
    const path = `answers.${id}`;
    if (!q) issues.push({ path, message: 'no such question' });
    else if (q.kind === 'multiple-choice') {
      if (!Array.isArray(value) || value.some((v) => !q.options?.includes(v)))
        issues.push({ path, message: `choose among ${q.options?.join(', ')}` });
    } else if (typeof value !== 'string') issues.push({ path, message: 'expected one answer' });
    else if (q.kind === 'single-choice' && !q.options?.includes(value))
      issues.push({ path, message: `choose one of ${q.options?.join(', ')}` });
  }
  return issues;
}
