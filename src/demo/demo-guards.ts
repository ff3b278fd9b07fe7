import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { AdminGuard, UserGuard } from '../common/auth';
import type { CurrentUser } from '../host/ports';
import { DemoCurrentUser } from './demo-ports';

/**
 * One of the plugin's own guards, reading the user the way the demo host does. The /demo routes are the host's,
 * outside the plugin's module, so they hand the guard the demo's CurrentUser rather than the plugin's token.
 */
function withDemoUser(Guard: new (currentUser: CurrentUser) => CanActivate): Type<CanActivate> {
  @Injectable()
  class DemoGuard implements CanActivate {
    private readonly guard: CanActivate;

    constructor(currentUser: DemoCurrentUser) {
      this.guard = new Guard(currentUser);
    }

    canActivate(context: ExecutionContext) {
      return this.guard.canActivate(context);
    }
  }
  return DemoGuard;
}

/** Admins only: 401 without a user, 403 for a non-admin. */
export const DemoAdminGuard = withDemoUser(AdminGuard);
/** Any signed-in user of the demo; 401 without one. */
export const DemoUserGuard = withDemoUser(UserGuard);
