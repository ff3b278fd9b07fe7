import { Injectable } from '@nestjs/common';
import { parseCredits } from '../common/money';
import { definedFields } from '../common/defined';
import { invalidField, invalidInput } from '../common/validation';
import type { SettingsUpdateDto } from './settings.dto';
import type { SettingsEntity } from './settings.entity';
import { SettingsRepository } from './settings.repository';
import { checkThresholds, isValidTimeZone } from './settings.rules';

@Injectable()
export class SettingsService {
  constructor(private readonly repository: SettingsRepository) {}

  get(): Promise<SettingsEntity> {
    return this.repository.get();
  }

  async update(dto: SettingsUpdateDto): Promise<SettingsEntity> {
    const patch = definedFields(dto);
    const current = await this.repository.get();
    const next: SettingsEntity = { ...current };
    if (patch.lowBalanceThreshold !== undefined) next.lowBalanceThreshold = parseCredits(patch.lowBalanceThreshold);
    if (patch.negativeBalanceThreshold !== undefined) {
      next.negativeBalanceThreshold = parseCredits(patch.negativeBalanceThreshold);
    }
    if (patch.suspensionThreshold !== undefined) next.suspensionThreshold = parseCredits(patch.suspensionThreshold);
    if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
      throw invalidField('timeZone', 'isTimeZone', 'must be an IANA time zone such as "UTC" or "Europe/Berlin"');
    }
    const violations = checkThresholds(next, new Set(Object.keys(patch)));
    if (violations.length > 0) throw invalidInput(violations);

    const { lowBalanceThreshold: _l, negativeBalanceThreshold: _n, suspensionThreshold: _s, ...plain } = patch;
    return this.repository.save(Object.assign(next, plain));
  }
}
