import { NotFoundException } from '@nestjs/common';
import { conflictingField } from '../common/validation';

/** Why a redemption is refused; each names the field (`code`) and the rule, as a 400 would. */
export const promoErrors = {
  unknown: (code: string) => new NotFoundException(`there is no promo code ${code}`),
  expired: (code: string) => conflictingField('code', 'notExpired', `${code} has expired`),
  exhausted: (code: string) =>
    conflictingField('code', 'redemptionsLeft', `${code} has been redeemed as often as it may`),
  perUser: (code: string, max: number) =>
    conflictingField('code', 'perUser', `you have already redeemed ${code}${max > 1 ? ` ${max} times` : ''}`),
  newAccountsOnly: (code: string) => conflictingField('code', 'newAccountsOnly', `${code} is for new accounts only`),
  creditExpired: (code: string) =>
    conflictingField('code', 'creditNotExpired', `the credit ${code} grants has expired`),
  taken: (code: string) => conflictingField('code', 'unique', `${code} exists with other terms`),
};
