// A stand-in for the SMS gateway Peixun is given with --sms-gateway: it takes
// `POST /texts` as the gateway's contract says (JSON {"phone", "template", "params"} with the
// bearer token) and records what it takes; the tests read a phone's texts with
// `GET /texts?phone=P` to type the code a person would have received.
import http from 'node:http';

const port = Number(process.env.PEIXUN_E2E_GATEWAY_PORT || 3919);
const token = process.env.PEIXUN_SMS_TOKEN || 'e2e-sms-token';
const texts = [];

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://gateway');
    const answer = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/texts') {
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'token' });
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        try {
          texts.push(JSON.parse(body));
          answer(200, { ok: true });
        } catch {
          answer(400, { error: 'not JSON' });
        }
      });
      return undefined;
    }
    if (req.method === 'GET' && url.pathname === '/texts') {
      const phone = url.searchParams.get('phone');
      return answer(200, texts.filter((t) => !phone || t.phone === phone));
    }
    if (req.method === 'GET' && url.pathname === '/healthz') return answer(200, { ok: true });
    return answer(404, { error: 'not found' });
  })
  .listen(port, '127.0.0.1');
