import { Injectable, PipeTransform } from '@nestjs/common';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, invalidField } from '../../common/validation';

/** An instance id in a path, as hosts may register them; anything else is a 400 naming `id`. */
@Injectable()
export class InstanceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!HOST_ID_PATTERN.test(value)) {
      throw invalidField('id', 'isInstanceId', HOST_ID_MESSAGE);
    }
    return value;
  }
}
