// The signed claims GetDownloadUrlForLayer hands out: every check of such a token answers valid or a reason, never throws.
import { createHmac } from 'node:crypto';
import { createLayerDownloadUrls, LAYER_DOWNLOAD_PATH } from '../../../src/auth/layer-download-url';

const secret = Buffer.from('a secret of the data directory');
const urls = createLayerDownloadUrls(secret);
const now = new Date('2026-12-01T00:00:00Z');
const claim = { scope: { accountId: '111111111111', region: 'us-east-1' }, repository: 'team/app', digest: `sha256:${'a'.repeat(64)}`, expiresAt: new Date('2026-12-01T01:00:00Z') };

/** A token signed with the real secret and purpose label, over any payload. */
function signedToken(payloadText: string): string {
  const payload = Buffer.from(payloadText).toString('base64url');
  const signature = createHmac('sha256', secret).update('ecr-emulator layer download v1\n').update(payload).digest('base64url');
  return `${payload}.${signature}`;
}

describe('layer download URLs', () => {
  it('round-trips a claim through its path', () => {
    const token = urls.pathFor(claim).slice(LAYER_DOWNLOAD_PATH.length);
    expect(urls.check(token, now)).toEqual({ isValid: true, claim });
  });

  it('answers expired after the claim expires', () => {
    const token = urls.pathFor(claim).slice(LAYER_DOWNLOAD_PATH.length);
    expect(urls.check(token, new Date('2026-12-01T02:00:00Z'))).toEqual({ isValid: false, reason: 'expired' });
  });

  it('answers signature for a token signed with another secret', () => {
    const token = createLayerDownloadUrls(Buffer.from('another')).pathFor(claim).slice(LAYER_DOWNLOAD_PATH.length);
    expect(urls.check(token, now)).toEqual({ isValid: false, reason: 'signature' });
  });

  it.each([
    ['a payload that is not JSON', 'not json at all'],
    ['JSON that is not an object', '42'],
    ['null', 'null'],
    ['an object missing members', '{"a":"111111111111"}'],
    ['members of the wrong types', '{"a":1,"r":"us-east-1","n":"x","d":"y","e":"soon"}'],
  ])('answers malformed, without throwing, for a correctly signed token over %s', (_what, payload) => {
    expect(urls.check(signedToken(payload), now)).toEqual({ isValid: false, reason: 'malformed' });
  });

  it.each(['', 'one-part', 'a.b.c'])('answers malformed for the token %p', (token) => {
    expect(urls.check(token, now)).toEqual({ isValid: false, reason: 'malformed' });
  });
});
