import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../common/validation';

/** The user ids a host may use (as the demo host accepts them); anything else in a path is a 400. */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USER_ID_PATTERN.test(value)) {
      throw invalidField('userId', 'isUserId', 'must be 1–64 letters, digits, ".", "_", "@" or "-"');
    }
    return value;
  }
}
