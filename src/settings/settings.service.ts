import { Injectable } from '@nestjs/common';
import { parseCredits } from '../common/money';
import { definedFields } from '../common/defined';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField, invalidInput } from '../common/validation';
import type { SettingsUpdateDto } from './settings.dto';
import type { SettingsEntity } from './settings.entity';
import { SettingsRepository } from './settings.repository';
import { checkThresholds, isValidTimeZone } from './settings.rules';

@Injectable()
export class SettingsService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  get(): Promise<SettingsEntity> {
    return this.repository.get();
  }

  /**
   * Applies a partial change under the settings row lock: concurrent PATCHes of different fields take
   * turns and all apply, and the threshold ordering is checked against the row each one replaces.
   */
  async update(dto: SettingsUpdateDto): Promise<SettingsEntity> {
    const patch = definedFields(dto);
    if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
      throw invalidField('timeZone', 'isTimeZone', 'must be an IANA time zone such as "UTC" or "Europe/Berlin"');
    }
    const { lowBalanceThreshold, negativeBalanceThreshold, suspensionThreshold, ...plain } = patch;
    const thresholds = {
      ...(lowBalanceThreshold !== undefined && { lowBalanceThreshold: parseCredits(lowBalanceThreshold) }),
      ...(negativeBalanceThreshold !== undefined && {
        negativeBalanceThreshold: parseCredits(negativeBalanceThreshold),
      }),
      ...(suspensionThreshold !== undefined && { suspensionThreshold: parseCredits(suspensionThreshold) }),
    };
    return this.unitOfWork.run(
      async (tx) => {
        const next: SettingsEntity = { ...(await this.repository.lock(tx)), ...thresholds };
        const violations = checkThresholds(next, new Set(Object.keys(patch)));
        if (violations.length > 0) throw invalidInput(violations);
        return this.repository.save(tx, Object.assign(next, plain));
      },
      { isolation: Isolation.LockedWrites },
    );
  }
}
