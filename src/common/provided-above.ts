import type { ModuleRef } from '@nestjs/core';

/**
 * A service a feature declares as an abstract class and a feature above it provides (the catalog asks the
 * instances feature whether a plan is in use). The declaring module cannot import the providing one, which
 * imports it, so the provider is looked up in the whole application when it is asked, not injected.
 */
export function providedAbove<T>(moduleRef: ModuleRef, token: abstract new () => T): T {
  return moduleRef.get<T>(token, { strict: false });
}
