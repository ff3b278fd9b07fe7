import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { MICRO_DIGITS, MoneyFormatError, parseScaledDecimal, RATE_DIGITS, toSafeNumber } from './money';

export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

/** A 400 whose body names each offending field and the rule it broke. */
export function invalidInput(violations: FieldViolation[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: violations.map((v) => `${v.field}: ${v.message}`).join('; '),
    errors: violations,
  });
}

export function invalidField(field: string, rule: string, message: string): BadRequestException {
  return invalidInput([{ field, rule, message }]);
}

function flatten(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The pipe on every plugin controller: typed DTOs, unknown fields refused, errors naming the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => invalidInput(flatten(errors)),
  });
}

function decimalDecorator(name: string, digits: number, describe: string, allowNegative: boolean, positive = false) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          try {
            const scaled = parseScaledDecimal(value, digits);
            toSafeNumber(scaled);
            if (!allowNegative && scaled < 0n) return false;
            return !positive || scaled > 0n;
          } catch (error) {
            if (error instanceof MoneyFormatError) return false;
            throw error;
          }
        },
        defaultMessage: (args) => `${args?.property} must be ${describe}`,
      },
    });
}

/** A non-negative credit amount: decimal string or number with at most 6 decimal places. */
export const IsCreditAmount = decimalDecorator(
  'isCreditAmount',
  MICRO_DIGITS,
  'a non-negative credit amount with at most 6 decimal places (e.g. "12.5")',
  false,
);

/** A credit amount that may be negative (thresholds). */
export const IsSignedCreditAmount = decimalDecorator(
  'isSignedCreditAmount',
  MICRO_DIGITS,
  'a credit amount with at most 6 decimal places (e.g. "-5" or "12.5")',
  true,
);

/** A positive currency value per credit with at most 9 decimal places. */
export const IsValuePerCredit = decimalDecorator(
  'isValuePerCredit',
  RATE_DIGITS,
  'a positive decimal with at most 9 decimal places (e.g. "0.01")',
  false,
  true,
);

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MESSAGE = 'must be lowercase letters, digits and single dashes (e.g. "eu-west")';

/** Codes this Node runtime knows from ISO 4217, so a typo such as "USX" is refused. */
const ISO_CURRENCY_CODES = new Set<string>(Intl.supportedValuesOf('currency'));

export function isIsoCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && ISO_CURRENCY_CODES.has(value);
}

export function IsIsoCurrencyCode(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoCurrencyCode',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => isIsoCurrencyCode(value),
        defaultMessage: (args) => `${args?.property} must be a 3-letter ISO 4217 currency code (e.g. "USD")`,
      },
    });
}
