/**
 * What a browser reads off one of the demo's pages to go on: its links and its forms with the values they would
 * submit untouched. Regular expressions suffice: the pages are this repository's own Handlebars templates, whose
 * tags are written on one line with double-quoted attributes.
 */

export interface PageForm {
  method: 'get' | 'post';
  action: string;
  /** Name and value of each field the form would send, in order (a name repeats for several checked boxes). */
  fields: [string, string][];
}

// What Handlebars escapes in an attribute, and back.
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#x60;': '`',
  '&#x3D;': '=',
};
const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#x27|#x60|#x3D);/g, (entity) => ENTITIES[entity]);

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeHtml(match[1]) : undefined;
}

const hasFlag = (tag: string, name: string) => new RegExp(`\\s${name}[\\s>]`).test(tag);

/** Every `href` of an `<a>`, as written (relative ones included). */
export function pageLinks(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*>/g)].flatMap(([tag]) => attribute(tag, 'href') ?? []);
}

export function pageForms(html: string): PageForm[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map(([form]) => {
    const open = /^<form\b[^>]*>/.exec(form)?.[0] ?? '';
    return {
      method: attribute(open, 'method')?.toLowerCase() === 'post' ? 'post' : 'get',
      action: attribute(open, 'action') ?? '',
      fields: [...inputFields(form), ...selectFields(form)],
    };
  });
}

function inputFields(form: string): [string, string][] {
  return [...form.matchAll(/<input\b[^>]*>/g)].flatMap(([tag]): [string, string][] => {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (!name || ((type === 'radio' || type === 'checkbox') && !hasFlag(tag, 'checked'))) return [];
    return [[name, attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]];
  });
}

function selectFields(form: string): [string, string][] {
  return [...form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)].flatMap(([, open, body]): [string, string][] => {
    const name = attribute(open, 'name');
    const options = [...body.matchAll(/<option\b[^>]*>/g)].map(([tag]) => tag);
    const chosen = options.find((tag) => hasFlag(tag, 'selected')) ?? options[0];
    return name && chosen ? [[name, attribute(chosen, 'value') ?? '']] : [];
  });
}

/**
 * The form's fields with some replaced (typed in by the user), as an `application/x-www-form-urlencoded` body; a
 * list stands for a name sent several times (boxes ticked, rows of a table), an empty list for none.
 */
export function formBody(form: PageForm, typed: Record<string, string | string[]> = {}): string {
  const fields = form.fields.filter(([name]) => !(name in typed));
  const replaced = Object.entries(typed).flatMap(([name, value]) =>
    [value].flat().map((one): [string, string] => [name, one]),
  );
  return new URLSearchParams([...fields, ...replaced]).toString();
}
