import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * `resources` is a JSON object. Its entries are checked where they are parsed (parseReportedResources), which names
 * each bad one by its path (`resources.ipv4`): a validator here can name only the field that holds them. Absence (null
 * too) is left to the IsDefined or IsOmittable beside it.
 */
export function IsResourceMap(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isResourceMap',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value)),
        defaultMessage: (args) =>
          `${args?.property} must be an object of resource keys and quantities (e.g. { "ipv4": 2 })`,
      },
    });
}

/** A field that belongs to one type of event only: sent with another, it is refused rather than ignored. */
export function OnlyForEventType(type: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyForEventType',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args?: ValidationArguments) => (args?.object as { type?: unknown }).type === type,
        defaultMessage: (args) => `${args?.property} is only for a "${type}" event`,
      },
    });
}
