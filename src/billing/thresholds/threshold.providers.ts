import { LiveCostService } from './live-cost.service';
import { ThresholdBacklogService } from './threshold-backlog.service';
import { ThresholdService } from './threshold.service';

export const THRESHOLD_PROVIDERS = [ThresholdService, ThresholdBacklogService, LiveCostService];
