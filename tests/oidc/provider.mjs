// A real OpenID Connect provider for the tests (panva's oidc-provider, a devDependency in package.json), on
// 127.0.0.1 only. Started by tests/oidc_support.py as `node tests/oidc/provider.mjs <config.json>`; the JSON gives
// the port, the clients (with their redirect URIs) and the accounts with their claims (an account id is the
// "login" typed on the provider's own development sign-in page, devInteractions). It prints "ready <issuer>"
// once it listens. Test use only: development keys, no persistence, plain HTTP.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;
const extraClaims = new Set();
for (const claims of Object.values(accounts)) {
  for (const name of Object.keys(claims)) {
    if (!['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name'].includes(name)) extraClaims.add(name);
  }
}

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  // scope "organisation" carries the KvK claim (under whatever name the test configures), like a broker's
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    organisation: [...extraClaims],
  },
  scopes: ['openid', 'email', 'profile', 'organisation'],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['test-only-cookie-key-not-a-secret'] },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  // a first-party client: consent is implied, so the journey is sign-in only (as with an eHerkenning broker
  // whose consent screen is its own business)
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile organisation');
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
