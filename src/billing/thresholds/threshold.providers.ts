import { ThresholdBacklogService } from './threshold-backlog.service';
import { ThresholdStateRepository } from './threshold-state.repository';
import { ThresholdService } from './threshold.service';

export const THRESHOLD_PROVIDERS = [ThresholdStateRepository, ThresholdService, ThresholdBacklogService];
