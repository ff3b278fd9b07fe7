/**
 * Where the widget's links point: pages of the host panel, not routes of this module, so they are the same
 * whatever the module's route prefix. A host that serves its usage report or top-up page elsewhere
 * rewrites the links of the JSON, or embeds its own.
 */
export const WIDGET_LINKS = {
  /** The usage report page (the demo host serves it). */
  usage: '/panel/usage',
  /** The host's top-up (payment) page; top-ups reach the module as POST /admin/accounts/:userId/credits. */
  topUp: '/panel/top-up',
} as const;

export type WidgetLinks = { -readonly [K in keyof typeof WIDGET_LINKS]: string };
