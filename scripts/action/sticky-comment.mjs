// The action's `cost` mode: one comment on the pull request that the next run updates, never a
// second one. The comment is found by a hidden marker (an HTML comment GitHub does not show) among
// every page of the pull request's comments, then updated (PATCH) or created (POST) through the
// documented REST endpoints of issue comments. Node 20's fetch, no dependency; bounded in pages
// and time; the token is sent only to GITHUB_API_URL and never printed.
//   env: AI_ROUTE_GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH,
//        AI_ROUTE_COMMENT_FILE (the markdown), AI_ROUTE_COMMENT_MARKER, GITHUB_OUTPUT (optional)
import { appendFileSync, readFileSync } from 'node:fs';

/** GitHub refuses a comment body over 65,536 characters. */
const MAX_BODY = 65_536;
/** 100 comments a page (GitHub's most): 50 pages is 5,000 comments. */
const MAX_PAGES = 50;
const TIMEOUT_MS = 30_000;

const env = (name) => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

/** The body with the marker first, cut to GitHub's limit with a line saying so. */
export function commentBody(markdown, marker) {
  const head = `<!-- ${marker} -->\n`;
  const text = `${head}${markdown}`;
  if (text.length <= MAX_BODY) return text;
  const note = '\n\n_(cut to fit a GitHub comment: the whole diff is in the job summary)_\n';
  return `${text.slice(0, MAX_BODY - note.length)}${note}`;
}

async function call(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'ai-route-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    const text = (await res.text()).slice(0, 300);
    throw new Error(`${method} ${new URL(url).pathname}: HTTP ${res.status} ${text}`);
  }
  return { json: await res.json(), link: res.headers.get('link') ?? '' };
}

/** The next page's URL from a Link header, or undefined on the last page. */
const nextPage = (link) => /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];

/** The first comment that carries the marker, looked for on every page. */
async function findComment(api, repo, issue, token, marker) {
  let url = `${api}/repos/${repo}/issues/${issue}/comments?per_page=100`;
  for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
    const { json, link } = await call('GET', url, token);
    const tag = `<!-- ${marker} -->`;
    const hit = json.find((c) => typeof c.body === 'string' && c.body.includes(tag));
    if (hit !== undefined) return hit;
    // only GitHub's own pages are followed: the token goes nowhere else
    const next = nextPage(link);
    url = next !== undefined && next.startsWith(`${api}/`) ? next : undefined;
  }
  return undefined;
}

async function main() {
  const event = JSON.parse(readFileSync(env('GITHUB_EVENT_PATH'), 'utf8'));
  const issue = event.pull_request?.number ?? event.issue?.number;
  if (issue === undefined) {
    console.log('ai-route action: not a pull request; no comment posted');
    return;
  }
  const api = env('GITHUB_API_URL').replace(/\/$/, '');
  const repo = env('GITHUB_REPOSITORY');
  const token = env('AI_ROUTE_GITHUB_TOKEN');
  const marker = env('AI_ROUTE_COMMENT_MARKER');
  const body = commentBody(readFileSync(env('AI_ROUTE_COMMENT_FILE'), 'utf8'), marker);
  const found = await findComment(api, repo, issue, token, marker);
  const { json } =
    found === undefined
      ? await call('POST', `${api}/repos/${repo}/issues/${issue}/comments`, token, { body })
      : await call('PATCH', `${api}/repos/${repo}/issues/comments/${found.id}`, token, { body });
  const done = found === undefined ? 'created' : 'updated';
  console.log(`ai-route action: ${done} ${json.html_url ?? json.id}`);
  const outputs = process.env.GITHUB_OUTPUT;
  if (outputs) appendFileSync(outputs, `comment-id=${json.id}\n`);
}

main().catch((err) => {
  console.error(`::error title=ai-route action::${String(err.message ?? err).replace(/\n/g, ' ')}`);
  process.exit(1);
});
