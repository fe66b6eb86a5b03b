import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_OPTIONS, overlayPage } from '../../../src/overlay/page.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(1);
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

function inlineScript(html: string): { attributes: string; body: string } {
  const m = /<script (type="module" nonce="[^"]+")>([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no inline module script in the page');
  return { attributes: m[1]!, body: m[2]! };
}

describe('overlay page assembly', () => {
  it('inlines the browser script with its types stripped, as a module that parses, under the nonce', () => {
    const html = overlayPage(G, DEFAULT_PAGE_OPTIONS, NONCE);
    const script = inlineScript(html);
    expect(script.attributes).toBe(`type="module" nonce="${NONCE}"`);
    // The real file's code, not a copy: its handler for the snapshot frame is in there...
    expect(script.body).toContain("f.type === 'snapshot'");
    // ...without its TypeScript: a leftover annotation or import would not parse in the browser.
    expect(script.body).not.toMatch(/^\s*import\b|: HTMLImageElement|as OverlayEvent/m);
    // Parsed as strict code, as a module script is (vm has no module parser without a flag).
    expect(() => new Script(`'use strict';${script.body}`)).not.toThrow();
    expect(script.body.toLowerCase()).not.toContain('</script');
  });

  it('inlines both stylesheets in order, then the accent', () => {
    const html = overlayPage(G, { ...DEFAULT_PAGE_OPTIONS, accent: '#ff0066' }, NONCE);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const base = readFileSync(new URL('../../../src/overlay/browser/overlay.css', import.meta.url), 'utf8');
    const queue = readFileSync(
      new URL('../../../src/overlay/browser/overlay-queue.css', import.meta.url),
      'utf8',
    );
    expect(style.indexOf(base)).toBe(0);
    expect(style.indexOf(queue)).toBeGreaterThan(base.length - 1);
    expect(style.trimEnd().endsWith(':root { --um-accent: #ff0066; }')).toBe(true);
  });

  it('hands the script its settings as JSON that cannot close the script element', () => {
    const html = overlayPage(G, { ...DEFAULT_PAGE_OPTIONS, max: 3, layout: 'compact' }, NONCE);
    const json = /<script type="application\/json" id="um-config">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json ?? '')).toEqual({ communityId: G, max: 3, layout: 'compact', version: 1 });
  });
});
