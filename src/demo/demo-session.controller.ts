import { Controller, Get, Query, Redirect, Res, UsePipes } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Response } from 'express';
import { createValidationPipe } from '../common/validation';
import { DEMO_USER_COOKIE } from './demo-ports';
import { DemoLoginQueryDto } from './demo.dto';

/** Where the server-rendered pages live; login and logout land there. */
export const PANEL_PATH = '/panel';

// httpOnly keeps page scripts away from it; lax keeps cross-site POSTs from riding on it.
const COOKIE_OPTIONS: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/' };

/** The pages' sign-in: the demo has no passwords, any id is a user (DEMO_ADMINS are admins). */
@ApiTags('demo')
@Controller()
@UsePipes(createValidationPipe())
export class DemoSessionController {
  @Get()
  @ApiExcludeEndpoint()
  @Redirect('/docs', 302)
  home(): void {}

  @Get('demo/login')
  @ApiFoundResponse({ description: `sets the session cookie and redirects to ${PANEL_PATH}` })
  login(@Query() query: DemoLoginQueryDto, @Res() res: Response): void {
    res.cookie(DEMO_USER_COOKIE, query.as, COOKIE_OPTIONS);
    res.redirect(302, PANEL_PATH);
  }

  @Get('demo/logout')
  @ApiFoundResponse({ description: `clears the session cookie and redirects to ${PANEL_PATH}` })
  logout(@Res() res: Response): void {
    res.clearCookie(DEMO_USER_COOKIE, COOKIE_OPTIONS);
    res.redirect(302, PANEL_PATH);
  }
}
