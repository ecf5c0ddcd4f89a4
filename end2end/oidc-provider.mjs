// A real OpenID Provider for the test suites: npm oidc-provider (a certified implementation),
// standing in for the province's unified identity service (天府通办). It asserts a real-name
// `name`, `id_number` and `phone_number` for each of its test people. Its sign-in and consent
// pages are the library's own development pages (any password signs a listed person in).
//
//   node oidc-provider.mjs            listens on OIDC_PORT (0: any free port) on 127.0.0.1,
//                                     prints `issuer=http://127.0.0.1:PORT` once it listens
//
// OIDC_PEOPLE (JSON: {"login": {"name", "id_number", "phone_number"}}) replaces the two
// default people. The one client, `peixun` (secret OIDC_CLIENT_SECRET), is a native app whose
// redirect URIs are http://127.0.0.1 and http://localhost on any port (RFC 8252).
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const secret = process.env.OIDC_CLIENT_SECRET || 'peixun-test-secret';
const people = process.env.OIDC_PEOPLE
  ? JSON.parse(process.env.OIDC_PEOPLE)
  : {
      alice: { name: '王小明', id_number: '11010519491231002X', phone_number: '13800000901' },
      bob: { name: '李四', id_number: '510104199003072352', phone_number: '13800000902' },
    };

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'peixun',
        client_secret: secret,
        application_type: 'native',
        redirect_uris: [
          'http://127.0.0.1/auth/oidc/callback',
          'http://localhost/auth/oidc/callback',
        ],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'id_number'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    // Every claim of the scopes asked for is in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['peixun-test-cookie-key'] },
    async findAccount(ctx, id) {
      const person = people[id];
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...person, phone_number_verified: true };
        },
      };
    },
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  console.log(`issuer=${issuer}`);
});
