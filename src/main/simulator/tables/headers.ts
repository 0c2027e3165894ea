// Header checks of the Table API (docs/servicenow.md §3.1): JSON in, JSON out.

/** Absent, any type, `application/*` or `application/json` (in a list, with parameters) is acceptable. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')
    .some((type) => type === '*/*' || type === 'application/*' || type === 'application/json');
}

export function isJsonContentType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}
