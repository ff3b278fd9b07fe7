import { Controller, Get, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { AdminStatementResponseDto, AdminStatementsQueryDto, mapStatement, mapStatementSummary } from './statement.dto';
import { statementCsvHeader, statementCsvRecords } from './statement-csv';
import { StatementsService } from './statements.service';

/** Statements read per page, by number, so a month of many users never sits in memory at once. */
const PAGE = 200;

/** Every user's statements of a month. */
@ApiTags('admin: statements')
@Controller('admin')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminStatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get('statements')
  async list(@Query() query: AdminStatementsQueryDto): Promise<AdminStatementResponseDto[]> {
    const all: AdminStatementResponseDto[] = [];
    for (let after = 0; ;) {
      const page = await this.statements.pageOfMonth(query.month, after, PAGE);
      all.push(...page.map(({ statement }) => ({ ...mapStatementSummary(statement), userId: statement.userId })));
      if (page.length < PAGE) return all;
      after = page[page.length - 1].statement.number;
    }
  }

  /** One CSV of the month's statements, written page by page as they are read (by number, never by offset). */
  @Get('statements.csv')
  @ApiProduces('text/csv')
  async csv(@Query() query: AdminStatementsQueryDto, @Res() response: Response): Promise<void> {
    let page = await this.statements.pageOfMonth(query.month, 0, PAGE);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="statements-${query.month}.csv"`);
    response.setHeader('Cache-Control', 'no-store');
    response.write(statementCsvHeader(null, true));
    for (;;) {
      for (const { statement, lines } of page)
        response.write(statementCsvRecords(mapStatement(statement, lines), true));
      if (page.length < PAGE) break;
      page = await this.statements.pageOfMonth(query.month, page[page.length - 1].statement.number, PAGE);
    }
    response.end();
  }
}
