import { Injectable, NotFoundException } from '@nestjs/common';
import type { StatementEntity, StatementLineEntity } from './statement.entities';
import { StatementsRepository } from './statements.repository';

export interface StoredStatement {
  statement: StatementEntity;
  lines: StatementLineEntity[];
}

/** Reads closed statements as they were stored at closing; nothing here writes. */
@Injectable()
export class StatementsService {
  constructor(private readonly repository: StatementsRepository) {}

  /** The user's statements, newest first. */
  listForUser(userId: string): Promise<StatementEntity[]> {
    return this.repository.listForUser(userId);
  }

  /**
   * The user's statement for a month. A month not closed yet and another user's month answer the same 404: a
   * statement exists only once closed, and whether someone else has one is not the reader's to know.
   */
  async forUser(userId: string, month: string): Promise<StoredStatement> {
    const statement = await this.repository.find(userId, month);
    if (!statement) {
      throw new NotFoundException(
        `no statement for ${month}: a month's statement is made once its last hour is settled, if the account had entries or a balance`,
      );
    }
    return { statement, lines: await this.repository.linesOf([statement.number]) };
  }

  /** The next page of a month's statements (every user), by number, with their lines. */
  async pageOfMonth(month: string, afterNumber: number, limit: number): Promise<StoredStatement[]> {
    const statements = await this.repository.pageOfMonth(month, afterNumber, limit);
    const lines = await this.repository.linesOf(statements.map((statement) => statement.number));
    return statements.map((statement) => ({
      statement,
      lines: lines.filter((line) => line.statementNumber === statement.number),
    }));
  }
}
