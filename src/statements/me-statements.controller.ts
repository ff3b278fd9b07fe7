import { Controller, Get, Param, Query, Req, Res, StreamableFile, UseGuards, UsePipes } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { MonthPipe } from './month.pipe';
import {
  mapStatement,
  mapStatementSummary,
  StatementQueryDto,
  StatementResponseDto,
  StatementSummaryResponseDto,
} from './statement.dto';
import { statementCsv, statementFileName } from './statement-csv';
import { renderStatementPdf } from './statement-pdf';
import { StatementsService } from './statements.service';

/** The signed-in user's own statements; there is no way to name another user here. */
@ApiTags('me')
@Controller('me/statements')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MeStatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get()
  async list(@Viewer() viewer: AuthenticatedUser): Promise<StatementSummaryResponseDto[]> {
    return (await this.statements.listForUser(viewer.id)).map(mapStatementSummary);
  }

  /** JSON, or CSV with `?format=csv` or a request that accepts text/csv and not JSON. */
  @Get(':month')
  @ApiProduces('application/json', 'text/csv')
  async one(
    @Viewer() viewer: AuthenticatedUser,
    @Param('month', MonthPipe) month: string,
    @Query() query: StatementQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StatementResponseDto | string> {
    const { statement, lines } = await this.statements.forUser(viewer.id, month);
    const dto = mapStatement(statement, lines);
    const csv = query.format === 'csv' || (query.format === undefined && request.accepts(['json', 'csv']) === 'csv');
    if (!csv) return dto;
    // Headers only once the statement exists, so a 404 stays the usual JSON error.
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${statementFileName(dto, 'csv')}"`);
    response.setHeader('Cache-Control', 'no-store');
    return statementCsv(dto);
  }

  @Get(':month/pdf')
  @ApiProduces('application/pdf')
  async pdf(@Viewer() viewer: AuthenticatedUser, @Param('month', MonthPipe) month: string): Promise<StreamableFile> {
    const { statement, lines } = await this.statements.forUser(viewer.id, month);
    const dto = mapStatement(statement, lines);
    return new StreamableFile(await renderStatementPdf(dto), {
      type: 'application/pdf',
      disposition: `inline; filename="${statementFileName(dto, 'pdf')}"`,
    });
  }
}
