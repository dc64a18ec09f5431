import { describe, expect, it } from 'vitest';
import { assistReducer, initialAssistState } from '../src/panel/assist-state.ts';

describe('a draft streamed by a model', () => {
  it('is cleared when the service says the partial text is void, and the new text replaces it', () => {
    let state = assistReducer(initialAssistState, { type: 'start' });
    for (const delta of ['Здравствуйте! ', 'Доставка стоит']) {
      state = assistReducer(state, { type: 'event', event: { type: 'suggestion-delta', index: 0, delta } });
    }
    expect(state.suggestions[0]?.text).toBe('Здравствуйте! Доставка стоит');
    state = assistReducer(state, {
      type: 'event',
      event: { type: 'suggestion-restart', index: 0, reason: 'overloaded' },
    });
    expect(state.suggestions[0]?.text).toBe('');
    state = assistReducer(state, {
      type: 'event',
      event: { type: 'suggestion-delta', index: 0, delta: 'Курьерская доставка — 450 ₽.' },
    });
    expect(state.suggestions[0]?.text).toBe('Курьерская доставка — 450 ₽.');
  });
});
