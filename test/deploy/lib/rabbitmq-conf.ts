/** rabbitmq.conf (sysctl format) snippets. */

/** Non-comment, non-blank lines, trimmed. */
export function significantLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** key = value pairs; throws on a line that is not one. */
export function parseRabbitConf(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of significantLines(text)) {
    const m = /^([A-Za-z0-9_.$-]+)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new Error(`${file}: not a "key = value" line: ${line}`);
    const [, key = '', value = ''] = m;
    if (out.has(key)) throw new Error(`${file}: ${key} is set twice`);
    out.set(key, value.trim());
  }
  return out;
}
