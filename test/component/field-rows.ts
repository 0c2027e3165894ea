// Reads a FieldChanges list (a <dl> named by aria-label) as a consultant sees it: each field's label (without
// its state marker) and its value as displayed.
export function fieldList(container: Element, name: string): HTMLElement {
  const list = [...container.querySelectorAll<HTMLElement>('dl[aria-label]')].find(
    (dl) => dl.getAttribute('aria-label') === name,
  );
  if (!list) throw new Error(`No field list named "${name}".`);
  return list;
}

export function fieldRows(list: Element): [string, string][] {
  return [...list.querySelectorAll(':scope > div')].map((row) => {
    const label = row.querySelector('dt')?.firstChild?.textContent?.trim() ?? '';
    const dd = row.querySelector('dd');
    const del = dd?.querySelector('del');
    const ins = dd?.querySelector('ins');
    // A change reads "before → after"; the screen-reader-only "becomes" is left out.
    const value = del && ins ? `${del.textContent} → ${ins.textContent}` : (dd?.textContent ?? '');
    return [label, value.replace(/\s+/g, ' ').trim()];
  });
}
