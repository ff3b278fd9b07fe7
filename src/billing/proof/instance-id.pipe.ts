import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../../common/validation';
import { HOST_ID_PATTERN } from '../../instances/instance.dto';

/** An instance id in a path, as hosts may register them; anything else is a 400 naming `id`. */
@Injectable()
export class InstanceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!HOST_ID_PATTERN.test(value)) {
      throw invalidField('id', 'isInstanceId', 'must be 1–64 letters, digits or . _ : @ -');
    }
    return value;
  }
}
