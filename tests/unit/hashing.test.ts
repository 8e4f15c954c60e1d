import { draftHash } from '../../api/decisions/service';
import { documentHash } from '../../lib/hashing';

// verifyChain (lib/) recomputes each draft's address with documentHash; the API stores drafts
// under draftHash. They must stay the same function.
it('hashes a draft document as the API addresses it', () => {
  for (const [text, explanation] of [
    ['Article 1. Fares are set by distance.', 'Why.'],
    ['', ''],
    ['第一条 票价按里程计算。\n\n第二条', '说明 "quoted" \\ '],
  ]) {
    expect(documentHash(text, explanation)).toBe(draftHash(text, explanation));
  }
});
