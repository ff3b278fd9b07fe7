import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { CURRENT_USER } from '../cloud-billing.constants';
import type { AuthenticatedUser, CurrentUser } from '../host/ports';

const VIEWER = Symbol('cloudBillingViewer');

type RequestWithViewer = { [VIEWER]?: AuthenticatedUser };

/** Any signed-in user; 401 without one. */
@Injectable()
export class UserGuard implements CanActivate {
  constructor(@Inject(CURRENT_USER) private readonly currentUser: CurrentUser) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithViewer>();
    const user = await this.currentUser.fromRequest(request);
    if (!user) throw new UnauthorizedException('sign in to use cloud billing');
    request[VIEWER] = user;
    return true;
  }
}

/** Admins only: 401 without a user, 403 for a non-admin. */
@Injectable()
export class AdminGuard extends UserGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<RequestWithViewer>()[VIEWER];
    if (!user?.isAdmin) throw new ForbiddenException('this route is for hosting admins');
    return true;
  }
}

/** The user a guard authenticated for this request. */
export const Viewer = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<RequestWithViewer>()[VIEWER];
  if (!user) throw new UnauthorizedException('sign in to use cloud billing');
  return user;
});
