import { registerDecorator, ValidationOptions } from 'class-validator';
import { formatScaledDecimal, MoneyFormatError, parseScaledDecimal, RATE_DIGITS } from '../common/money';

/** The ledger keeps the amount as given in a varchar(32), in this canonical form. */
export const MAX_CURRENCY_AMOUNT_LENGTH = 32;

/** A currency amount in canonical decimal text ("10.5"), or null when it is not one. */
export function canonicalCurrencyAmount(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    const text = formatScaledDecimal(parseScaledDecimal(value, RATE_DIGITS), RATE_DIGITS);
    return text.length <= MAX_CURRENCY_AMOUNT_LENGTH ? text : null;
  } catch (error) {
    if (error instanceof MoneyFormatError) return null;
    throw error;
  }
}

/** An amount of money in some currency: a decimal string or number, at most 9 decimal places, sign allowed. */
export function IsCurrencyAmount(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCurrencyAmount',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => canonicalCurrencyAmount(value) !== null,
        defaultMessage: (args) =>
          `${args?.property} must be a decimal amount with at most 9 decimal places (e.g. "10.50")`,
      },
    });
}
