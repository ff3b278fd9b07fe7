import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOmittable } from '../common/validation';
import { BooleanText } from './metering.validation';

export class RetiredQuery {
  @ApiPropertyOptional({ default: false, description: 'also list the deleted (retired) ones, which billed before' })
  @IsOmittable()
  @BooleanText()
  @IsBoolean()
  includeRetired?: boolean;
}
