import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../common/validation';
import { MONTH_PATTERN } from '../reports/report-calendar';
import { MONTH_MESSAGE } from './statement.dto';

/** A month in a path: 'YYYY-MM', anything else a 400 naming it. */
@Injectable()
export class MonthPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!MONTH_PATTERN.test(value)) throw invalidField('month', 'isMonth', MONTH_MESSAGE);
    return value;
  }
}
