import { describe, expect, it } from 'vitest';
import { agreementNote, type JudgedCase, judgeMetrics } from './judge-agreement.ts';

function judged(passes: boolean[], deterministic: JudgedCase['deterministic']): JudgedCase {
  const [grounded, answers, script, tone, actions] = passes;
  const verdict = (pass: boolean | undefined) => ({ pass: pass ?? true, reason: '' });
  return {
    rubric: {
      grounded: verdict(grounded),
      answers_question: verdict(answers),
      follows_script: verdict(script),
      tone: verdict(tone),
      no_unperformed_actions: verdict(actions),
    },
    deterministic,
  };
}

describe('judgeMetrics', () => {
  it('gives pass rates per criterion and the share of cases where judge and grader agree', () => {
    const metrics = judgeMetrics([
      judged([true, true, true, true, false], {
        grounded: true,
        followsScript: true,
        noUnperformedActions: true,
      }),
      judged([false, true, true, false, false], {
        grounded: true,
        followsScript: false,
        noUnperformedActions: false,
      }),
    ]);
    expect(metrics['judge.grounded']).toBe(0.5);
    expect(metrics['judge.tone']).toBe(0.5);
    expect(metrics['judge.answers_question']).toBe(1);
    expect(metrics['judge.agreement.grounded']).toBe(0.5);
    expect(metrics['judge.agreement.follows_script']).toBe(0.5);
    expect(metrics['judge.agreement.no_unperformed_actions']).toBe(0.5);
    expect(agreementNote(metrics, 2)).toBe(
      'LLM judge over 2 cases; agreement with the deterministic graders: grounded 0.50, follows_script 0.50, no_unperformed_actions 0.50',
    );
  });

  it('reports nothing when nothing was judged', () => {
    expect(judgeMetrics([])).toEqual({});
  });
});
