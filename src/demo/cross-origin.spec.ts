import { isCrossOriginWrite } from './cross-origin';

const write = (headers: Record<string, string>, method = 'POST') => ({
  method,
  headers: { host: 'panel.example:3000', ...headers },
});

describe('isCrossOriginWrite', () => {
  it('lets our own pages, typed URLs and non-browser clients through', () => {
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'same-origin', origin: 'http://panel.example:3000' }))).toBe(
      false,
    );
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'none' }))).toBe(false);
    // An older browser: no Fetch Metadata, an Origin naming this host (whatever the scheme a proxy ended).
    expect(isCrossOriginWrite(write({ origin: 'https://panel.example:3000' }))).toBe(false);
    // curl, a server: neither header.
    expect(isCrossOriginWrite(write({}))).toBe(false);
  });

  it('refuses what a browser says another site sent', () => {
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
    // A sibling subdomain is "same-site" but not our origin: SameSite=Lax cookies go along, so it is refused.
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'same-site' }))).toBe(true);
    // Fetch Metadata wins over an Origin that looks like ours.
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'cross-site', origin: 'http://panel.example:3000' }))).toBe(
      true,
    );
    expect(isCrossOriginWrite(write({ origin: 'https://evil.example' }))).toBe(true);
    expect(isCrossOriginWrite(write({ origin: 'http://panel.example:4000' }))).toBe(true);
    expect(isCrossOriginWrite(write({ origin: 'null' }))).toBe(true);
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])('never refuses a %s: a link from elsewhere must open the page', (method) => {
    expect(isCrossOriginWrite(write({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, method))).toBe(
      false,
    );
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('checks a %s like a POST', (method) => {
    expect(isCrossOriginWrite(write({ origin: 'https://evil.example' }, method))).toBe(true);
  });
});
