// The peer of bench/peers.sh: node oidc-provider, client credentials with HTTP Basic, JWT access tokens signed with
// BENCH_ALG (ES256 like IdentityHub, or RS256), on 127.0.0.1:BENCH_PORT. Configured like IdentityHub's bench fixture.
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const alg = process.env.BENCH_ALG ?? 'ES256';
const port = Number(process.env.BENCH_PORT ?? 5091);
const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
const jwk = { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: 'bench' };
const resource = 'urn:bench:api';

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench',
    client_secret: 'bench-secret-0123456789',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: alg,
  }],
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'api', accessTokenFormat: 'jwt', jwt: { sign: { alg } } }),
    },
  },
});
provider.listen(port, '127.0.0.1');
