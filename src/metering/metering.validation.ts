import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength, registerDecorator } from 'class-validator';
import { MoneyFormatError } from '../common/money';
import { METERING_KEY_MAX_LENGTH, METERING_KEY_MESSAGE, SLUG_PATTERN } from '../common/validation';
import { parseQuantity, QUANTITY_DIGITS } from '../common/quantities';

/** A rule's or counter's key: what the host reports quantities and usage under. */
export function IsMeteringKey(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MaxLength(METERING_KEY_MAX_LENGTH)(target, key);
    Matches(SLUG_PATTERN, { message: `${String(key)} ${METERING_KEY_MESSAGE}` })(target, key);
  };
}

/** A name or unit shown to people: a non-empty string of at most `maxLength` characters. */
export function IsDisplayText(maxLength: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(maxLength)(target, key);
  };
}

/** A rule on a quantity (decimal string or number, up to 6 places, scaled by 10^6 as common/quantities.ts does). */
function quantityRule(name: string, describe: string, accepts: (scaled: bigint) => boolean, malformed: boolean) {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' && typeof value !== 'number') return malformed;
          try {
            return accepts(parseQuantity(value));
          } catch (error) {
            if (error instanceof MoneyFormatError) return malformed;
            throw error;
          }
        },
        defaultMessage: (args) => `${args?.property} must be ${describe}`,
      },
    });
}

/** A quantity ≥ 0 (or > 0 with `positive`), exact to 6 decimal places. */
export function IsQuantity({ positive = false } = {}): PropertyDecorator {
  const sign = positive ? 'a positive' : 'a non-negative';
  const describe = `${sign} decimal with at most ${QUANTITY_DIGITS} decimal places (e.g. "1000" or "0.5")`;
  return quantityRule(
    positive ? 'isPositiveQuantity' : 'isQuantity',
    describe,
    (scaled) => (positive ? scaled > 0n : scaled >= 0n),
    false,
  );
}

/** At most `max`; a value that is not a quantity passes here, since IsQuantity beside it names that. */
export function MaxQuantity(max: number): PropertyDecorator {
  const limit = parseQuantity(max);
  return quantityRule('maxQuantity', `at most ${max.toLocaleString('en-US')}`, (scaled) => scaled <= limit, true);
}

/** `?includeRetired=true|false`; anything else stays text and fails IsBoolean with the parameter named. */
export const BooleanText = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
