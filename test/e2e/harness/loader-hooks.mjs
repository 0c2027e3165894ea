// Node module resolve hook (module.register) for the harness: inside the built main bundle, `electron`
// resolves to the stand-in, and every file of the bundle keeps the `?harness=<id>` query of its entry, so
// each test gets a fresh copy of main (module state included) while node_modules stay shared.
let outMainUrl = '';
let standInUrl = '';

export function initialize(data) {
  outMainUrl = data.outMainUrl;
  standInUrl = data.standInUrl;
}

function harnessQuery(parentURL) {
  if (!parentURL || !parentURL.startsWith(outMainUrl)) return null;
  return new URL(parentURL).searchParams.get('harness');
}

export async function resolve(specifier, context, nextResolve) {
  const id = harnessQuery(context.parentURL);
  if (id === null) return nextResolve(specifier, context);
  if (specifier === 'electron') {
    return { url: `${standInUrl}?harness=${encodeURIComponent(id)}`, shortCircuit: true };
  }
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith(outMainUrl) && !resolved.url.includes('?')) {
    return { ...resolved, url: `${resolved.url}?harness=${encodeURIComponent(id)}` };
  }
  return resolved;
}
