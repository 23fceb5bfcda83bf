import { describe, it, expect } from 'vitest';
import { canonicalJson, isDirty } from './dirty';
import { createProject } from './create';

describe('canonicalJson', () => {
  it('does not depend on key order, and drops undefined members like JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('isDirty', () => {
  const saved = createProject('A', { now: new Date('2026-01-01T00:00:00Z') });

  it('a never-saved project is dirty', () => {
    expect(isDirty(null, saved)).toBe(true);
  });

  it('ignores modifiedAt and key order', () => {
    const reordered = Object.fromEntries(
      Object.entries({ ...saved, modifiedAt: '2030-01-01T00:00:00Z' }).reverse(),
    ) as typeof saved;
    expect(isDirty(saved, reordered)).toBe(false);
  });

  it('sees a change anywhere else, however deep', () => {
    const moved = structuredClone(saved);
    moved.track.keyframes[0].position[1] = 0.25;
    expect(isDirty(saved, moved)).toBe(true);
    const painted = structuredClone(saved);
    painted.lambda.values[30] += 0.125;
    expect(isDirty(saved, painted)).toBe(true);
    expect(isDirty(saved, { ...saved, name: 'B' })).toBe(true);
  });
});
