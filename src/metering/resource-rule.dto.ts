import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsIdValue } from '../catalog/catalog-params.dto';
import { formatCredits } from '../common/money';
import { IsCreditAmount, IsOmittable, MaxCredits } from '../common/validation';
import { MAX_FIXED_QUANTITY, MAX_RULE_PRICE_MICROS } from './metering-bounds';
import { QUANTITY_SOURCES, RULE_KINDS, RULE_STATES } from './metering.types';
import type { QuantitySource, ResourceRule, RuleKind, RuleState } from './metering.types';
import { IsDisplayText, IsMeteringKey, IsQuantity, MaxQuantity } from './metering.validation';
import { MAX_PERIOD_SECONDS } from './rating/period-price';
import { formatQuantity } from '../common/quantities';

export class PlanRulesParams {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  planId: number;
}

export class PlanRuleParams extends PlanRulesParams {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  ruleId: number;
}

export class ResourceRuleCreateDto {
  @ApiProperty({
    example: 'ipv4',
    description: 'unique among the plan’s rules; what the host reports quantities under',
  })
  @IsMeteringKey()
  key: string;

  @ApiProperty({ example: 'IPv4 address' })
  @IsDisplayText(100)
  name: string;

  @ApiProperty({ example: 'address', description: 'what one unit of the resource is called' })
  @IsDisplayText(32)
  unit: string;

  @ApiProperty({
    example: '10',
    description: `credits for one unit per period (a one-off: per unit, once), at most ${formatCredits(MAX_RULE_PRICE_MICROS)}`,
  })
  @IsCreditAmount()
  @MaxCredits(MAX_RULE_PRICE_MICROS)
  price: string | number;

  @ApiProperty({
    example: 2_592_000,
    minimum: 0,
    maximum: MAX_PERIOD_SECONDS,
    description: 'the period the price is for, 1 s … 31 days; 0 = charged once, when the instance is created',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_PERIOD_SECONDS)
  periodSeconds: number;

  @ApiProperty({
    enum: RULE_KINDS,
    description: 'postpaid: charged for the time used, with the hour; prepaid: at the start of each period',
  })
  @IsIn(RULE_KINDS)
  kind: RuleKind;

  @ApiProperty({
    enum: QUANTITY_SOURCES,
    description: 'fixed: fixedQuantity per instance; reported: what the host reports under the key',
  })
  @IsIn(QUANTITY_SOURCES)
  quantitySource: QuantitySource;

  @ApiPropertyOptional({
    example: '1',
    description: `units per instance, up to 6 decimal places, at most ${MAX_FIXED_QUANTITY.toLocaleString('en-US')}; only and always with quantitySource "fixed"`,
  })
  @IsOmittable()
  @IsQuantity({ positive: true })
  @MaxQuantity(MAX_FIXED_QUANTITY)
  fixedQuantity?: string | number;

  @ApiProperty({ enum: RULE_STATES, isArray: true, example: ['terminated'], description: 'the states it bills in' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique({ message: 'on must not list a state twice' })
  @IsIn(RULE_STATES, { each: true })
  on: RuleState[];

  @ApiPropertyOptional({ default: false, description: 'true: bills in every state except those in `on`' })
  @IsOmittable()
  @IsBoolean()
  except?: boolean;

  @ApiPropertyOptional({
    example: '5',
    nullable: true,
    description: 'the most it charges one instance in a calendar month (credits, > 0); null or absent: no cap',
  })
  @ValidateIf((_rule, value) => value !== undefined && value !== null)
  @IsCreditAmount()
  @MaxCredits(MAX_RULE_PRICE_MICROS)
  monthlyCap?: string | number | null;
}

/** Only what is sent changes. Switching to quantitySource "reported" drops the fixed quantity. */
export class ResourceRuleUpdateDto extends PartialType(ResourceRuleCreateDto, { skipNullProperties: false }) {}

export class ResourceRuleResponseDto {
  id: number;
  planId: number;
  key: string;
  name: string;
  unit: string;
  /** Credits as a decimal string. */
  price: string;
  periodSeconds: number;
  kind: RuleKind;
  quantitySource: QuantitySource;
  fixedQuantity: string | null;
  on: RuleState[];
  except: boolean;
  /** Credits as a decimal string; null: no cap. */
  monthlyCap: string | null;
  createdAt: string;
  /** When it was deleted and stopped billing; null while it bills. */
  retiredAt: string | null;
}

export function mapResourceRule(rule: ResourceRule): ResourceRuleResponseDto {
  return {
    id: rule.id,
    planId: rule.planId,
    key: rule.key,
    name: rule.name,
    unit: rule.unit,
    price: formatCredits(rule.priceMicros),
    periodSeconds: rule.periodSeconds,
    kind: rule.kind,
    quantitySource: rule.quantitySource,
    fixedQuantity: rule.fixedQuantity === null ? null : formatQuantity(rule.fixedQuantity),
    on: [...rule.filter.on],
    except: rule.filter.except,
    monthlyCap: rule.monthlyCapMicros === null ? null : formatCredits(rule.monthlyCapMicros),
    createdAt: rule.createdAt.toISOString(),
    retiredAt: rule.retiredAt?.toISOString() ?? null,
  };
}
