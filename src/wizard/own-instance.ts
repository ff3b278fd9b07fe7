import type { InstanceEntity } from '../instances/instance.entity';
import { instanceNotFound, instanceTerminated } from './wizard.errors';

/** The user's own instance; anyone else's, or none, is the same 404. */
export function ownOrNotFound(instance: InstanceEntity | null, userId: string, id: string): InstanceEntity {
  if (!instance || instance.userId !== userId) throw instanceNotFound(id);
  return instance;
}

/** A terminated instance can only be read: changing it is a 409. */
export function requireLive(instance: InstanceEntity): void {
  if (instance.state === 'terminated') throw instanceTerminated(instance.id);
}
