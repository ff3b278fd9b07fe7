import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../common/validation';

/** A currency code in a path: three letters, any case; anything else is a 400 naming the parameter. */
@Injectable()
export class CurrencyCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z]{3}$/.test(value)) throw invalidField('code', 'isCurrencyCode', 'must be a 3-letter currency code');
    return value.toUpperCase();
  }
}
