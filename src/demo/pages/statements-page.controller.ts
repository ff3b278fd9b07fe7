import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { monthLabel, shortDate } from './format';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession } from './panel-session';
import { PluginApiError } from './plugin-api';

interface Money {
  credits: string;
  formatted: string;
}
interface StatementSummary {
  number: number;
  month: string;
  closedAt: string;
  currency: string;
  openingBalance: Money;
  closingBalance: Money;
}
interface Statement extends StatementSummary {
  userId: string;
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  valuePerCredit: string;
  totals: Record<string, Money>;
  lines: { section: string; description: string; detail: string | null; date: string | null; amount: Money }[];
}

const SECTIONS: [string, string][] = [
  ['topups', 'Top-ups'],
  ['grants', 'Promotional credit'],
  ['charges', 'Charges'],
  ['adjustments', 'Adjustments and credits'],
  ['topup-refunds', 'Top-up refunds'],
  ['chargebacks', 'Chargebacks'],
  ['expiries', 'Expired credit'],
];

/** /panel/statements (the closed months) and /panel/statements/:month (one statement, printable, with its PDF). */
@ApiExcludeController()
@Controller('panel/statements')
@UseFilters(PanelExceptionFilter)
export class StatementsPageController {
  constructor(private readonly session: PanelSession) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const [layout, statements] = await Promise.all([
      this.session.layout(user, 'Statements', 'statements', req.originalUrl),
      user.api.get<StatementSummary[]>('/me/statements'),
    ]);
    this.session.send(res, 200, 'statements', {
      layout,
      statements: statements.map((statement) => ({
        number: statement.number,
        label: monthLabel(statement.month),
        href: `/panel/statements/${statement.month}`,
        opening: statement.openingBalance.formatted,
        closing: statement.closingBalance.formatted,
      })),
    });
  }

  @Get(':month')
  async one(@Req() req: Request, @Res() res: Response, @Param('month') month: string): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    let statement: Statement;
    try {
      statement = await user.api.get<Statement>(`/me/statements/${encodeURIComponent(month)}`);
    } catch (error) {
      if (!(error instanceof PluginApiError) || (error.status !== 404 && error.status !== 400)) throw error;
      return this.session.message(
        res,
        user.viewer,
        404,
        'No statement',
        `There is no closed statement for “${month}”.`,
      );
    }
    const layout = await this.session.layout(user, `Statement ${statement.number}`, 'statements', req.originalUrl);
    this.session.send(res, 200, 'statement', {
      layout,
      statement: {
        number: statement.number,
        label: monthLabel(statement.month),
        userId: statement.userId,
        period: `${statement.periodStart.slice(0, 10)} to ${statement.periodEnd.slice(0, 10)}, end excluded`,
        timeZone: statement.timeZone,
        currency: statement.currency,
        rate: statement.valuePerCredit,
        closedAt: statement.closedAt.slice(0, 16).replace('T', ' '),
        opening: statement.openingBalance,
        closing: statement.closingBalance,
        sections: SECTIONS.map(([key, title]) => ({
          title,
          total: statement.totals[key],
          lines: statement.lines
            .filter((line) => line.section === key)
            .map((line) => ({ ...line, date: line.date ? shortDate(line.date.slice(0, 10)) : '' })),
        })).filter((section) => section.lines.length > 0),
        pdf: user.api.href(`/me/statements/${statement.month}/pdf`),
        csv: user.api.href(`/me/statements/${statement.month}`, { format: 'csv' }),
        pdfName: `statement-${statement.month}-${statement.number}.pdf`,
        csvName: `statement-${statement.month}-${statement.number}.csv`,
      },
    });
  }
}
