/**
 * Text folded for matching: compatibility-decomposed (NFKD), lower case, combining marks stripped,
 * runs of whitespace made one space. "Beyoncé", "BEYONCE" and "ｂｅｙｏｎｃｅ" all fold to "beyonce".
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** How many letters and digits a text has. */
export function alphanumericCount(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}
