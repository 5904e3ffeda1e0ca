/** Checks every security test applies to a response: headers, stack traces, secrets. */
import type { LightMyRequestResponse } from 'fastify';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** What is wrong with a response's headers: a missing security header, or a JSON type with a suffix (D2). */
export function headerProblems(res: LightMyRequestResponse): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (res.headers[name] !== value) out.push(`${name}: ${String(res.headers[name])}`);
  }
  const type = res.headers['content-type'];
  if (typeof type === 'string' && type.startsWith('application/json') && type !== 'application/json') out.push(`content-type: ${type}`);
  return out;
}

const STACK_PATTERNS: readonly RegExp[] = [
  // V8 frames: "    at fn (/path/file.js:1:2)", "at async fn (node:internal/…)", "at /path/file.js:1:2"
  /\n\s*at\s/,
  /\bat (?:async )?[^\s()"]+ \((?:\/|file:|node:)/,
  /\bat (?:\/|file:\/\/|node:)[^\s"]*:\d+:\d+/,
  // file paths of the code and its dependencies
  /node_modules/,
  /(?:^|[\s"'(/\\])(?:src|dist)[/\\][\w./\\-]+\.(?:ts|js|mjs|cjs)\b/,
  /\.(?:ts|js|mjs|cjs):\d+:\d+/,
  /file:\/\//,
];

/** The first stack-trace-like fragment of a text, or undefined. */
export function stackTraceIn(text: string): string | undefined {
  for (const pattern of STACK_PATTERNS) {
    const m = pattern.exec(text);
    if (m !== null) return text.slice(Math.max(0, m.index - 40), m.index + 80);
  }
  return undefined;
}

/** The whole visible answer: status line, headers and body. */
export function visibleText(res: LightMyRequestResponse): string {
  return `${res.statusCode}\n${JSON.stringify(res.headers)}\n${res.body}`;
}
