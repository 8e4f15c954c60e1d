import { verificationRequired, type InForceText, type Receipt } from '../../app/public';
import { windowOpen } from '../../domain/public';
import { latest, type PublicDecision } from '../../lib/public-decision';
import type { OpinionReport } from '../../lib/public-opinions';
import type { SurveyResults } from '../../lib/survey';

// How the public JSON endpoints present what app/public answers: times as ISO 8601, nothing
// of the actors, the assignments or the client keys.

const iso = (t: number | Date | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());

export function decisionView(d: PublicDecision, now = Date.now()) {
  const { state } = d;
  const predisclosure = latest(
    d.records.filter((r) => r.kind === 'predisclosure'),
    'predisclosure',
  );
  return {
    id: state.id,
    title: state.title,
    summary: state.summary,
    status: state.status,
    currentStage: state.currentStage,
    statutory: state.template.statutory,
    howToComment: (predisclosure?.content as { howToComment?: string } | undefined)?.howToComment ?? null,
    verification: verificationRequired(state) ?? 'none',
    draft: {
      version: state.draft.version,
      hash: state.draft.hash,
      explanation: d.explanation,
      paragraphs: d.paragraphs.map((text, i) => ({ number: i + 1, text })),
    },
    windows: state.windows.map((w) => ({
      kind: w.kind,
      round: w.round,
      opensAt: iso(w.opensAt),
      closesAt: iso(w.closesAt),
      open: windowOpen(w, now),
      urgencyReason: w.urgencyReason,
      submissions: w.frozen?.count ?? null,
      ...(w.questions ? { questions: w.questions } : {}),
    })),
  };
}

export function inForceView(f: InForceText) {
  const { answer } = f;
  const v = answer.version;
  return {
    decisionId: f.decisionId,
    at: iso(answer.at),
    status: answer.status,
    version: v
      ? { version: v.version, hash: v.hash, from: iso(v.from), until: iso(v.until), adoptedBy: v.adoptedBy }
      : null,
    suspension: answer.suspension
      ? { from: iso(answer.suspension.from), until: iso(answer.suspension.until), ratified: answer.suspension.ratified }
      : null,
    text: f.text,
    explanation: f.explanation,
    procedure: f.procedure.map((r) => ({ ...r, at: iso(r.at) })),
  };
}

const hiddenView = (h: { reason: string; at: Date } | null) => (h ? { reason: h.reason, at: iso(h.at) } : null);

export function opinionsView(report: OpinionReport) {
  return {
    ...report,
    opinions: report.opinions.map((o) => ({
      ...o,
      submittedAt: iso(o.submittedAt),
      disposedAt: iso(o.disposedAt),
      hidden: hiddenView(o.hidden),
    })),
  };
}

export function receiptView(found: Receipt) {
  const o = found.opinion;
  return {
    receipt: o.receipt,
    decision: found.decision,
    paragraph: o.paragraph,
    submittedAt: iso(o.submittedAt),
    text: o.text,
    hidden: hiddenView(o.hidden),
    disposition: o.disposition,
    dispositionReason: o.dispositionReason,
    disposedAt: iso(o.disposedAt),
    campaignSize: o.campaignSize,
    window: found.window ? { closesAt: iso(found.window.closesAt), frozen: found.window.frozenAt !== null } : null,
  };
}

export const surveyResultsView = (decisionId: string, results: SurveyResults) => ({ decisionId, results });
