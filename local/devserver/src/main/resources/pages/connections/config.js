// Where the pages find the Connections API and a signed-in user's token. Deployments replace this
// one file (README, "Deploy the pages"): apiBase is the stack's ApiUrl output, and getToken returns
// the signed-in user's Cognito ID token (builder pool for the builder and LLM Keys pages, portal pool
// for the client portal). The page keeps the token in memory only.
//
// Here (the dev server): the same origin, and a token from the URL fragment (#token=…, used by the
// browser tests; removed from the address bar at once) or from the dev stack's /_dev/token helper
// for a seeded user (#user=acme-admin@demo.test; the page's own default otherwise).
export const apiBase = '';

export async function getToken(defaultUser) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (token) return token;
  const response = await fetch('/_dev/token?email=' + encodeURIComponent(fragment.get('user') || defaultUser));
  if (!response.ok) throw new Error('no dev token');
  return (await response.json()).token;
}
