import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { formatCredits } from '../common/money';
import { IsOmittable, IsSignedCreditAmount } from '../common/validation';
import type { SettingsEntity } from './settings.entity';

export class SettingsUpdateDto {
  @ApiPropertyOptional({
    example: '10',
    description: 'credits; one "low balance" email when the balance is at or below it',
  })
  @IsOmittable()
  @IsSignedCreditAmount()
  lowBalanceThreshold?: string | number;

  @ApiPropertyOptional({ example: '0', description: 'credits, ≤ 0; one more email when the balance is at or below it' })
  @IsOmittable()
  @IsSignedCreditAmount()
  negativeBalanceThreshold?: string | number;

  @ApiPropertyOptional({ example: '-5', description: 'credits; below it all the user’s instances are suspended' })
  @IsOmittable()
  @IsSignedCreditAmount()
  suspensionThreshold?: string | number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  allowCreateOnNegativeBalance?: boolean;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  autoUnsuspend?: boolean;

  @ApiPropertyOptional({ description: '0 = never' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(3650)
  terminateAfterDaysSuspended?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3600)
  billingGranularitySeconds?: number;

  @ApiPropertyOptional({ example: 'UTC', description: 'IANA zone for report months and monthly caps' })
  @IsOmittable()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ description: '0 = off' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(8760)
  runwayWarningHours?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description: 'How many hours back a host event may be dated; settled hours it touches are re-rated',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(720)
  lateEventWindowHours?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 720,
    description:
      'Creating needs a balance covering this many hours of the new plan and of the user’s other live instances; ' +
      '0 = only a balance below 0 refuses',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(720)
  creationCreditHours?: number;
}

export class SettingsResponseDto {
  lowBalanceThreshold: string;
  negativeBalanceThreshold: string;
  suspensionThreshold: string;
  allowCreateOnNegativeBalance: boolean;
  autoUnsuspend: boolean;
  terminateAfterDaysSuspended: number;
  billingGranularitySeconds: number;
  timeZone: string;
  runwayWarningHours: number;
  lateEventWindowHours: number;
  creationCreditHours: number;
}

export function mapSettings(settings: SettingsEntity): SettingsResponseDto {
  return {
    lowBalanceThreshold: formatCredits(settings.lowBalanceThreshold),
    negativeBalanceThreshold: formatCredits(settings.negativeBalanceThreshold),
    suspensionThreshold: formatCredits(settings.suspensionThreshold),
    allowCreateOnNegativeBalance: settings.allowCreateOnNegativeBalance,
    autoUnsuspend: settings.autoUnsuspend,
    terminateAfterDaysSuspended: settings.terminateAfterDaysSuspended,
    billingGranularitySeconds: settings.billingGranularitySeconds,
    timeZone: settings.timeZone,
    runwayWarningHours: settings.runwayWarningHours,
    lateEventWindowHours: settings.lateEventWindowHours,
    creationCreditHours: settings.creationCreditHours,
  };
}
