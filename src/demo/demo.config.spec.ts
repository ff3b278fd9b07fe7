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
