import { describe, expect, it } from 'vitest';
import { itemChoiceName } from '../../../commands/shared.ts';
import { cut, fitEmbeds, fitLabel, fitLines, LIMITS } from '../../../src/discord/limits.ts';

describe('cut', () => {
  it('leaves text that fits alone', () => {
    expect(cut('Sunrise', 7)).toBe('Sunrise');
  });

  it('cuts at a grapheme boundary with an ellipsis, never inside an emoji', () => {
    const title = `${'a'.repeat(98)}👨‍👩‍👧‍👦 and more`;
    const out = cut(title, 100);
    expect(out).toBe(`${'a'.repeat(98)}…`);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('keeps a letter with its combining marks together', () => {
    const out = cut(`abc${'e\u0301'.repeat(10)}`, 8);
    expect(out).toBe('abce\u0301e\u0301…');
  });

  it('never leaves an escaping backslash before the ellipsis', () => {
    expect(cut('ab\\*cd', 4)).toBe('ab…');
    expect(cut('ab\\\\*cd', 5)).toBe('ab\\\\…');
  });
});

describe('fitLines', () => {
  it('keeps whole lines and says how many were left out', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const out = fitLines(lines, 100, (n) => `…and ${n} more`);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.split('\n').slice(0, -1)).toEqual(lines.slice(0, out.split('\n').length - 1));
    expect(out).toMatch(/…and 7 more$/);
  });
});

describe('fitEmbeds', () => {
  it('cuts each part to its limit and all parts to 6,000 characters in all', () => {
    const [embed] = fitEmbeds([
      {
        title: 't'.repeat(300),
        description: 'd'.repeat(5000),
        fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(1100) })),
        footer: { text: 'f'.repeat(3000) },
      },
    ]);
    expect(embed!.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed!.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed!.fields!.length).toBe(LIMITS.embedFields);
    for (const f of embed!.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const total =
      embed!.title!.length +
      embed!.description!.length +
      embed!.footer!.text.length +
      embed!.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
  });
});

describe('labels and choices', () => {
  it('an autocomplete choice keeps its position and votes; only the title is cut', () => {
    const name = itemChoiceName(12, `${'🎵'.repeat(60)}`, -3);
    expect(name.length).toBeLessThanOrEqual(LIMITS.choiceName);
    expect(name).toMatch(/^#12 (🎵)+… \(-3\)$/);
  });

  it('a label is never empty', () => {
    expect(fitLabel('', 'select')).toBe('…');
    expect(fitLabel('x'.repeat(200), 'button').length).toBe(LIMITS.buttonLabel);
  });
});
