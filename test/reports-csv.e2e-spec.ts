import { sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * RFC 4180, strictly: fields separated by commas, records ended by CRLF (the last one too), a quoted field
 * may hold commas, line breaks and doubled quotes; a bare line break or a stray quote is an error.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      i++;
    } else if (c === '\r' || c === '\n' || c === '"') throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
    else field += c;
  }
  if (quoted || field !== '' || record.length > 0) throw new Error('the last record is not ended by CRLF');
  return records;
}

interface Row {
  kind: string;
  instanceId: string;
  name: string;
  plan: string;
  location: string | null;
  hourlyRate: { amount: string; credits: string };
  hours: number;
  cost: { amount: string; credits: string };
  adjusted: boolean;
}

describe('GET /me/usage.csv', () => {
  let t: TestApp;
  const names = ['web "1", prod', 'two\r\nlines', '=HYPERLINK("http://evil.example")'];

  beforeAll(async () => {
    t = await startTestApp();
    const admin = t.as('admin');
    await admin
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.5', prefix: '€', decimals: 2 })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const location = (await admin.post('/admin/locations', { name: 'Amsterdam, NL', slug: 'ams' }).expect(201)).body;
    const group = (await admin.post('/admin/plan-groups', { name: 'General', slug: 'general' }).expect(201)).body;
    const plan = async (name: string, hourlyPrice: string) =>
      (
        await admin
          .post('/admin/plans', { groupId: group.id, name, slug: name, vcpus: 1, ramMb: 1024, diskGb: 20, hourlyPrice })
          .expect(201)
      ).body.id as number;
    const small = await plan('small', '1.25');
    const large = await plan('large', '3');
    await topUp(t, 'alice', '500', 'alice-1').expect(201);
    for (const [i, name] of names.entries()) {
      await admin
        .post('/host/instances', {
          id: `vm-${i}`,
          userId: 'alice',
          name,
          planId: small,
          locationId: location.id,
          at: '2026-03-10T12:00:00Z',
        })
        .expect(201);
    }
    await setClock(t, '2026-03-10T14:00:00Z');
    await sendEvent(t, 'vm-0', 'resized', '2026-03-10T14:00:00Z', large).expect(200);
    await setClock(t, '2026-03-10T17:00:00Z');
  });
  afterAll(() => t.close());

  it('downloads as an RFC 4180 attachment that parses back to the JSON rows and total', async () => {
    const json = (await t.as('alice').get('/me/usage').expect(200)).body;
    expect(json.rows).toHaveLength(4);
    const response = await t.as('alice').get('/me/usage.csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="usage-2026-03.csv"');
    expect(response.text.endsWith('\r\n')).toBe(true);

    const [header, ...lines] = parseCsv(response.text);
    expect(header).toEqual([
      'Instance ID',
      'Instance',
      'Kind',
      'Plan',
      'Location',
      'Hourly rate (EUR)',
      'Hourly rate (credits)',
      'Hours',
      'Key',
      'Item',
      'Quantity',
      'Unit',
      'Rate',
      'Cost (EUR)',
      'Cost (credits)',
      'Adjusted',
    ]);
    const total = lines.pop();
    expect(lines).toEqual(
      json.rows.map((r: Row) => [
        r.instanceId,
        r.name.startsWith('=') ? `'${r.name}` : r.name,
        r.kind,
        r.plan,
        r.location,
        r.hourlyRate.amount,
        r.hourlyRate.credits,
        String(r.hours),
        ...Array(5).fill(''),
        r.cost.amount,
        r.cost.credits,
        r.adjusted ? 'yes' : 'no',
      ]),
    );
    expect(total).toEqual(['Total', ...Array(12).fill(''), json.total.amount, json.total.credits, '']);
    // Five hours each: vm-1 and vm-2 at 1.25, vm-0 2 h at 1.25 then 3 h at 3.
    expect(json.total).toMatchObject({ credits: '24', amount: '12.00' });
    // The rate keeps the decimals it needs (1.25 × €0.50 = €0.625, not €0.63); costs keep the cent.
    expect(lines.map((line) => [line[3], line[5], line[13]])).toEqual(
      expect.arrayContaining([
        ['small', '0.625', '3.13'],
        ['large', '1.50', '4.50'],
      ]),
    );
  });

  it('keeps names with quotes, commas and line breaks whole, and defuses a formula', async () => {
    const text = (await t.as('alice').get('/me/usage.csv').expect(200)).text;
    expect(text).toContain('"web ""1"", prod"');
    expect(text).toContain('"two\r\nlines"');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain('"Amsterdam, NL"');
    const names = parseCsv(text).map((record) => record[1]);
    expect(names).toEqual(expect.arrayContaining(['web "1", prod', 'two\r\nlines']));
  });

  it('exports an earlier month with only its header and a zero total, named after the month', async () => {
    const response = await t.as('alice').get('/me/usage.csv?month=2026-02').expect(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="usage-2026-02.csv"');
    const records = parseCsv(response.text);
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual(['Total', ...Array(12).fill(''), '0.00', '0', '']);
  });

  it('answers a bad month as a JSON 400, not as a download', async () => {
    const response = await t.as('alice').get('/me/usage.csv?month=2026-13').expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.body.errors[0].field).toBe('month');
  });
});
