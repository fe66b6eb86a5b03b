import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/core/errors.ts';
import { checkBody, checkText, MAX_BODY_DEPTH } from '../../../src/http/text-guard.ts';

const refusal = (run: () => void) => {
  try {
    run();
  } catch (err) {
    if (isUserError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return null;
};

describe('text guard', () => {
  it('lets ordinary text through, emoji and other scripts included', () => {
    expect(refusal(() => checkBody({ name: 'Lo-Fi 🎧 ラジオ', tags: ['a', 'ب'], n: 1 }))).toBeNull();
    expect(refusal(() => checkText('name', 'a\ud83c\udfa7b'))).toBeNull();
  });

  it('refuses NUL and unpaired surrogates in any string or key, naming the field', () => {
    expect(refusal(() => checkBody({ station: 'a\u0000' }))).toMatch(
      /^INVALID_INPUT: body\.station: must not/,
    );
    expect(refusal(() => checkBody({ custom_headers: { x: 'ok', y: ['\ud800'] } }))).toMatch(
      /body\.custom_headers\.y\.0/,
    );
    expect(refusal(() => checkBody({ 'k\udc00': 1 }))).toMatch(/body key/);
    expect(refusal(() => checkText('name', 'end\ud800'))).toMatch(/^INVALID_INPUT: name:/);
    expect(refusal(() => checkText('name', '\udc00start'))).toMatch(/^INVALID_INPUT/);
  });

  it('refuses a body nested deeper than the limit without exhausting the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusal(() => checkBody(deep))).toMatch(/nested too deeply/);
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_BODY_DEPTH; i++) ok = { a: ok };
    expect(refusal(() => checkBody(ok))).toBeNull();
  });
});
