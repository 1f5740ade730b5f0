/** What every secret becomes in any output. */
export const REDACTED = '[redacted]';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Characters a key and its masked echoes are made of ("sk-proj-ab12****cd34"). */
const KEYISH = '(?:[A-Za-z0-9_\\-*•…%+/=]|\\.(?=[A-Za-z0-9_\\-*•…]))';

/**
 * The one redaction every output of a run goes through. Each secret is removed in every form a
 * provider or a proxy may echo it: as is, URL-encoded, JSON-escaped, and partially (a masked
 * echo that keeps its first or last characters, "sk-test-01****cdef"). A secret shorter than 4
 * characters is removed only as a whole token, so that ordinary words survive.
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const patterns: RegExp[] = [];
  const literals: string[] = [];
  for (const secret of [...new Set(secrets.filter((s) => s.length > 0))].sort(
    (a, b) => b.length - a.length,
  )) {
    const forms = [
      ...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]),
    ];
    if (secret.length < 4) {
      // a whole token only: base64 (a saved histogram) joins its letters with + and /, and ends
      // with =; "key=x" is still a token
      patterns.push(
        new RegExp(
          `(?<![A-Za-z0-9_+/-])(?:${forms.map(escape).join('|')})(?![A-Za-z0-9_+/=-])`,
          'g',
        ),
      );
      continue;
    }
    // literal forms are replaced as text: a regex built from a 70,000-character header is slow
    literals.push(...forms);
    if (secret.length >= 12) {
      // a masked echo keeps the first or last few characters: take the whole token around them
      const head = escape(secret.slice(0, Math.min(8, Math.floor(secret.length / 2))));
      const tail = escape(secret.slice(-4));
      patterns.push(new RegExp(`${head}${KEYISH}*`, 'g'));
      patterns.push(new RegExp(`${KEYISH}*[*•…]{3,}${KEYISH}*${tail}`, 'g'));
    }
  }
  return (text) =>
    patterns.reduce(
      (out, p) => out.replace(p, REDACTED),
      literals.reduce((out, l) => out.split(l).join(REDACTED), text),
    );
}

/**
 * The secrets a request header carries: its value, and the credentials after an auth scheme
 * ("Bearer KEY" is echoed as KEY; "Basic ..." as the user and password it encodes).
 */
export function headerSecrets(value: string): string[] {
  const m = /^([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value.trim());
  if (m === null) return [value];
  const out = [value, m[2]!];
  if (m[1]!.toLowerCase() === 'basic') {
    let decoded = '';
    try {
      decoded = atob(m[2]!);
    } catch {
      // not base64: the value itself is the secret
    }
    if (decoded.includes(':')) out.push(decoded, ...decoded.split(':').filter((p) => p !== ''));
  }
  return out;
}

/**
 * The secrets a URL carries: its user, password, and every query value (API keys travel there too).
 */
export function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [
      decodeURIComponent(u.username),
      decodeURIComponent(u.password),
      ...[...u.searchParams.values()],
    ].filter((s) => s !== '');
  } catch {
    // not a URL: whatever sits between // and @ is a secret
    const m = /\/\/([^/@]*)@/.exec(url);
    return m?.[1] === undefined ? [] : m[1].split(':').filter((s) => s !== '');
  }
}

/**
 * A URL as it may be printed: no user or password, every query value redacted. Text that is not a
 * URL loses what looks like userinfo.
 */
export function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, REDACTED);
    return u
      .toString()
      .replace(/\/$/, '')
      .replace(/%5Bredacted%5D/g, REDACTED);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '?[redacted]');
  }
}
