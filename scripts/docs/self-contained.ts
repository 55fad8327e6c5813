/**
 * A report is self-contained when nothing it loads comes from outside the file: scripts and styles
 * are inline, images and icons are data: URIs. Links a reader may click (<a href>) do not count.
 */
const LOADING_ATTRIBUTES = /<(script|link|img|iframe|source|video|audio)\b[^>]*?\s(src|href)\s*=\s*["']([^"']+)["']/gi;

export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(LOADING_ATTRIBUTES)) {
    const url = match[3] ?? '';
    // Minified script text contains tag-like strings built at run time ('+x+'); only literal URLs count.
    if (/^(data:|#)/i.test(url) || url.includes("'+")) continue;
    found.push(url);
  }
  return found;
}
