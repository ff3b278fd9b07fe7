import { BadRequestException, ConflictException, ValidationError, ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { formatCredits, MICRO_DIGITS, MoneyFormatError, parseScaledDecimal, RATE_DIGITS, toSafeNumber } from './money';

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

/** A 409 that names the field it is about, as a 400 does, so a refused AMQP message says which one. */
export function conflictingField(field: string, rule: string, message: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${field}: ${message}`,
    errors: [{ field, rule, message }],
  });
}

const NOT_NULL_RULE = 'isNotNull';

function flatten(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    // A null fails every type rule too; "must not be null" alone says what is wrong.
    const broken = NOT_NULL_RULE in constraints ? [NOT_NULL_RULE] : Object.keys(constraints);
    const own = broken.map((rule) => ({ field, rule, message: constraints[rule] }));
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

function IsNotNull(): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: NOT_NULL_RULE,
      target: object.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => value !== null,
        defaultMessage: (args) => `${args?.property} must not be null`,
      },
    });
}

/**
 * May be left out, but not sent as null: "optional" means absent. Use instead of IsOptional, which lets null through
 * to a column that has no null (a 500) or quietly treats it as absent (a 200 doing nothing). Fields where null means
 * something (a cleared description, "no price") say so with IsOptional and `nullable: true`.
 */
export function IsOmittable(): PropertyDecorator {
  return (target, key) => {
    ValidateIf((_object, value) => value !== undefined)(target, key);
    IsNotNull()(target, key);
  };
}

/** The ids a host gives its own things (instances, hypervisors, users), in bodies and paths. */
export const HOST_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,64}$/;
export const HOST_ID_MESSAGE = 'must be 1–64 letters, digits or . _ : @ -';

/**
 * A rule on a decimal amount scaled to `digits`: `accepts` judges the scaled value, `malformed` is the verdict on
 * a value that is not such an amount (true where another rule beside this one names that).
 */
function scaledDecimalRule(
  name: string,
  digits: number,
  describe: string,
  accepts: (scaled: bigint) => boolean,
  malformed = false,
) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' && typeof value !== 'number') return malformed;
          try {
            return accepts(parseScaledDecimal(value, digits));
          } catch (error) {
            if (error instanceof MoneyFormatError) return malformed;
            throw error;
          }
        },
        defaultMessage: (args) => `${args?.property} must be ${describe}`,
      },
    });
}

function decimalDecorator(name: string, digits: number, describe: string, allowNegative: boolean, positive = false) {
  return scaledDecimalRule(name, digits, describe, (scaled) => {
    toSafeNumber(scaled);
    if (!allowNegative && scaled < 0n) return false;
    return !positive || scaled > 0n;
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

/** `eitherWay` for amounts that may be negative, such as adjustments. */
export type MaxCreditsOptions = ValidationOptions & { eitherWay?: boolean };

/**
 * A credit amount at most `maxMicros` (a bound from money-bounds) in absolute value. A value that is not an amount
 * passes here: the format validator beside it names that, so this rule speaks only of size.
 */
export function MaxCredits(maxMicros: number, { eitherWay = false, ...options }: MaxCreditsOptions = {}) {
  const limit = `at most ${formatCredits(maxMicros)} credits${eitherWay ? ' either way' : ''}`;
  const withinBound = (micros: bigint) => (micros < 0n ? -micros : micros) <= BigInt(maxMicros);
  return scaledDecimalRule('maxCredits', MICRO_DIGITS, limit, withinBound, true)(options);
}

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

/** A resource rule's or metered counter's key: what the host reports quantities and usage under. */
export const METERING_KEY_MAX_LENGTH = 64;
export const METERING_KEY_MESSAGE = 'must be lowercase letters, digits and single dashes (e.g. "traffic-out")';
export const isMeteringKey = (value: string): boolean =>
  value.length <= METERING_KEY_MAX_LENGTH && SLUG_PATTERN.test(value);

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
