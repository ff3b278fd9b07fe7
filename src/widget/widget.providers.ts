import { WidgetController } from './widget.controller';
import { WidgetRenderer } from './widget-renderer';
import { WidgetService } from './widget.service';

export const WIDGET_CONTROLLERS = [WidgetController];
/** WidgetService and WidgetRenderer are public: a host page (the demo's dashboard) renders the fragment in place. */
export const WIDGET_PROVIDERS = [WidgetService, WidgetRenderer];
