import type { Answers, Question } from '../domain/public';
import type { PrismaClient } from './db';

// Opinion surveys for livelihood decisions: answers checked against the questionnaire the
// officials built (the open-survey action), and results aggregated from the answers of a frozen
// window only (the set the workflow counted and digested when the window closed).

export { answerIssues, type AnswerIssue, type Answers, type Question } from '../domain/public';

export interface QuestionResult {
  id: string;
  text: string;
  kind: Question['kind'];
  answered: number;
  /** Per option, in the questionnaire's order; empty for text questions. */
  options: Array<{ option: string; count: number }>;
}

export interface SurveyResults {
  windowId: string;
  respondents: number;
  frozen: { count: number; digest: string } | null;
  questions: QuestionResult[];
}

/** Aggregates the answers of a survey window. Published only once the window is frozen. */
export async function surveyResults(prisma: PrismaClient, windowId: string): Promise<SurveyResults | null> {
  const w = await prisma.publicWindow.findUnique({ where: { id: windowId } });
  if (!w || w.kind !== 'survey') return null;
  const questions = (w.questions ?? []) as Question[];
  const rows = await prisma.surveyAnswer.findMany({ where: { windowId }, select: { answers: true } });
  const results = questions.map<QuestionResult>((q) => ({
    id: q.id,
    text: q.text,
    kind: q.kind,
    answered: 0,
    options: (q.options ?? []).map((option) => ({ option, count: 0 })),
  }));
  for (const row of rows) {
    const answers = row.answers as Answers;
    for (const r of results) {
      const v = answers[r.id];
      if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
      r.answered++;
      for (const chosen of Array.isArray(v) ? v : [v]) {
        const o = r.options.find((x) => x.option === chosen);
        if (o) o.count++;
      }
    }
  }
  return {
    windowId,
    respondents: rows.length,
    frozen:
      w.frozenAt && w.frozenCount !== null && w.frozenDigest ? { count: w.frozenCount, digest: w.frozenDigest } : null,
    questions: results,
  };
}
