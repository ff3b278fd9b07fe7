import { startTestApp, TestApp } from './support/test-app';

describe('admin settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 401 without a user and 403 for a non-admin', async () => {
    await t.anonymous().get('/cloud-billing/admin/settings').expect(401);
    await t.as('alice').get('/admin/settings').expect(403);
    await t.as('alice').patch('/admin/settings', { autoUnsuspend: false }).expect(403);
  });

  it('starts with defaults an admin can read', async () => {
    const { body } = await t.as('admin').get('/admin/settings').expect(200);
    expect(body).toEqual({
      lowBalanceThreshold: '10',
      negativeBalanceThreshold: '0',
      suspensionThreshold: '0',
      allowCreateOnNegativeBalance: false,
      autoUnsuspend: true,
      terminateAfterDaysSuspended: 0,
      billingGranularitySeconds: 3600,
      timeZone: 'UTC',
      runwayWarningHours: 24,
      lateEventWindowHours: 72,
      creationCreditHours: 1,
    });
  });

  it('saves a valid change and keeps the rest', async () => {
    const { body } = await t
      .as('admin')
      .patch('/admin/settings', { suspensionThreshold: '-5.25', lowBalanceThreshold: 20, timeZone: 'Europe/Berlin' })
      .expect(200);
    expect(body).toMatchObject({
      suspensionThreshold: '-5.25',
      lowBalanceThreshold: '20',
      timeZone: 'Europe/Berlin',
      autoUnsuspend: true,
    });
    const { body: reread } = await t.as('admin').get('/admin/settings').expect(200);
    expect(reread).toEqual(body);
  });

  it.each([
    [{ suspensionThreshold: '1' }, 'suspensionThreshold', 'suspensionThreshold <= negativeBalanceThreshold'],
    [{ negativeBalanceThreshold: '0.5' }, 'negativeBalanceThreshold', 'negativeBalanceThreshold <= 0'],
    [{ lowBalanceThreshold: '-1' }, 'lowBalanceThreshold', 'negativeBalanceThreshold <= lowBalanceThreshold'],
    [{ billingGranularitySeconds: 0 }, 'billingGranularitySeconds', 'min'],
    [{ billingGranularitySeconds: 3601 }, 'billingGranularitySeconds', 'max'],
    [{ billingGranularitySeconds: '60' }, 'billingGranularitySeconds', 'isInt'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'isTimeZone'],
    [{ lowBalanceThreshold: '1.0000001' }, 'lowBalanceThreshold', 'isSignedCreditAmount'],
    [{ autoUnsuspend: 'yes' }, 'autoUnsuspend', 'isBoolean'],
    [{ creationCreditHours: -1 }, 'creationCreditHours', 'min'],
    [{ creationCreditHours: 721 }, 'creationCreditHours', 'max'],
    [{ creationCreditHours: 1.5 }, 'creationCreditHours', 'isInt'],
    [{ creationCreditHours: '2' }, 'creationCreditHours', 'isInt'],
    [{ surprise: 1 }, 'surprise', 'whitelistValidation'],
  ])('refuses %j with a 400 naming %s and writes nothing', async (patch, field, rule) => {
    const before = (await t.as('admin').get('/admin/settings')).body;
    const { body } = await t.as('admin').patch('/admin/settings', patch).expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(body.message).toContain(field);
    expect((await t.as('admin').get('/admin/settings')).body).toEqual(before);
  });
});
