/**
 * The server-rendered pages driven as a browser without script would: GET a
 * page, read its forms and their hidden fields, post one urlencoded with the
 * page's CSRF token, follow the redirect.
 */
import type { HttpClient } from './app.js';

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

/**
 * The POST forms of a page whose action starts with `prefix`, with their
 * hidden fields and each select's chosen option, as a browser would send them.
 */
export function formsIn(html: string, prefix: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!m[1]!.startsWith(prefix)) continue;
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[input[1]!] = input[2]!;
    for (const select of m[2]!.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const options = [...select[2]!.matchAll(/<option value="([^"]*)"( selected)?>/g)];
      const chosen = options.find((o) => o[2]) ?? options[0];
      if (chosen) fields[select[1]!] = chosen[1]!;
    }
    forms.push({ action: m[1]!, fields });
  }
  return forms;
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field in the page');
  return match[1]!;
}

export function postForm(client: HttpClient, url: string, fields: Record<string, string>) {
  return client.request({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** GETs `page`, then posts to `action` with the page's CSRF token (and any other fields given). */
export async function submit(client: HttpClient, page: string, action: string, fields: Record<string, string>) {
  const html = (await client.get(page)).body;
  return postForm(client, action, { _csrf: csrfFrom(html), ...fields });
}
