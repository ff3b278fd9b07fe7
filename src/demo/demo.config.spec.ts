import { pluginBasePath, readDemoConfig } from './demo.config';

describe('the route prefix of the demo', () => {
  it('is read from DEMO_ROUTE_PREFIX, the default when unset', () => {
    expect(readDemoConfig({ DEMO_ROUTE_PREFIX: 'billing-x' }).routePrefix).toBe('billing-x');
    expect(pluginBasePath(readDemoConfig({}))).toBe('/cloud-billing');
  });

  it('gives the pages one leading slash and no trailing one, however it was written', () => {
    for (const routePrefix of ['billing-x', '/billing-x', '/billing-x/', 'billing-x/']) {
      expect(pluginBasePath({ routePrefix })).toBe('/billing-x');
    }
    expect(pluginBasePath({ routePrefix: 'api/billing' })).toBe('/api/billing');
  });
});

describe('the AMQP consumer of the demo', () => {
  it('is on, with the default queues, when DEMO_AMQP_URL is set, and off otherwise', () => {
    expect(readDemoConfig({ DEMO_AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' }).amqp).toEqual({
      url: 'amqp://guest:guest@127.0.0.1:5672',
    });
    expect(readDemoConfig({}).amqp).toBeUndefined();
    expect(readDemoConfig({ DEMO_AMQP_URL: '' }).amqp).toBeUndefined();
  });
});
