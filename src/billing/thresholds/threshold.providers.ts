import { ThresholdBacklogService } from './threshold-backlog.service';
import { ThresholdService } from './threshold.service';

export const THRESHOLD_PROVIDERS = [ThresholdService, ThresholdBacklogService];
