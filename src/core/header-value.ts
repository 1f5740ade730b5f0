/** The largest --header value: gateways' headers are short, and every output is searched for it. */
export const MAX_HEADER_BYTES = 8 * 1024;

/**
 * What keeps a text from being an HTTP header value (RFC 9110: visible ASCII, spaces, tabs and
 * bytes 0x80-0xFF), in words that do not show it; undefined when it can be one.
 */
export function notHeaderValue(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || (c >= 32 && c < 127) || (c >= 128 && c <= 255)) continue;
    const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return c < 32 || c === 127
      ? `a control character (${code} at character ${i + 1}; a pasted newline?)`
      : `a character past Latin-1 (${code} at character ${i + 1}; a pasted look-alike?)`;
  }
  return undefined;
}
