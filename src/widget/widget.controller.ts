import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UserGuard, Viewer } from '../common/auth';
import type { AuthenticatedUser } from '../host/ports';
import { widgetView } from './widget-view';
import { WidgetRenderer } from './widget-renderer';
import { mapWidget, WidgetResponseDto } from './widget.dto';
import { WidgetService } from './widget.service';

/** The signed-in user's dashboard widget, as JSON and as an HTML fragment to embed. */
@ApiTags('me')
@Controller('me')
@UseGuards(UserGuard)
export class WidgetController {
  constructor(
    private readonly widgets: WidgetService,
    private readonly renderer: WidgetRenderer,
  ) {}

  @Get('widget')
  async widget(
    @Viewer() viewer: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WidgetResponseDto> {
    // A balance changes every hour and on every top-up: a cached copy would show a wrong one.
    response.setHeader('Cache-Control', 'no-store');
    return mapWidget(await this.widgets.forUser(viewer.id));
  }

  @Get('widget.html')
  @ApiProduces('text/html')
  async html(@Viewer() viewer: AuthenticatedUser, @Res({ passthrough: true }) response: Response): Promise<string> {
    const html = this.renderer.render(widgetView(mapWidget(await this.widgets.forUser(viewer.id))));
    // Set once rendered, so an error is still answered as JSON.
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    return html;
  }
}
