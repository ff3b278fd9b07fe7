import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { InstancesModule } from '../instances/instances.module';
import { ReportsModule } from '../reports/reports.module';
import { SettingsModule } from '../settings/settings.module';
import { AdminStatementsController } from './admin-statements.controller';
import { MeStatementsController } from './me-statements.controller';
import { STATEMENT_ENTITIES } from './statement.entities';
import { StatementCloseService } from './statement-close.service';
import { StatementsRepository } from './statements.repository';
import { StatementsService } from './statements.service';

/**
 * Monthly statements: closed after the billing run that settles a month's last hour (BillingSettledEvent),
 * read as JSON, CSV and PDF. StatementsService is public: a host's own pages read statements through it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(STATEMENT_ENTITIES),
    SettingsModule,
    CurrenciesModule,
    InstancesModule,
    AccountsModule,
    ReportsModule,
  ],
  controllers: [MeStatementsController, AdminStatementsController],
  providers: [StatementsRepository, StatementsService, StatementCloseService],
  exports: [StatementsService, StatementCloseService],
})
export class StatementsModule {}
