import { describe, expect, it } from 'vitest';
import { classifyStance } from '../../../src/core/matching/stance.js';

describe('classifyStance', () => {
  it('reads the verb first: denied, disputed → denies; confirmed, admitted → confirms; declined → declines', () => {
    expect(classifyStance('denied', 'the report', 'denied the report')).toBe('denies');
    expect(classifyStance('disputing', 'the claim', 'is disputing the claim')).toBe('denies');
    expect(classifyStance('admitted', 'partners had access', 'admitted partners had access')).toBe('confirms');
    expect(classifyStance('declined', 'to comment', 'declined to comment')).toBe('declines');
  });

  it('then the words: never, at no time, unaware, no evidence → denies; "Yes" → confirms', () => {
    expect(classifyStance('said', 'At no time did we access messages', '')).toBe('denies');
    expect(classifyStance('said', 'they were unaware of the access', '')).toBe('denies');
    expect(classifyStance('said', 'Did partners get access? Yes.', '')).toBe('confirms');
  });

  it('hears a refusal in the clause even after a neutral verb', () => {
    expect(classifyStance('said', 'it would not comment', 'said it would not comment on the report')).toBe('declines');
  });

  it('matches whole words only ("never" is not in "nevertheless")', () => {
    expect(classifyStance('said', 'nevertheless the feature worked', '')).toBe('other');
  });

  it('calls anything else "other"', () => {
    expect(classifyStance('said', 'the feature launched in 2014', '')).toBe('other');
  });
});
