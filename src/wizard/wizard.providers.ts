import { MeInstancesController } from './me-instances.controller';
import { InstanceCreationService } from './instance-creation.service';
import { MyInstancesService } from './my-instances.service';
import { OfferService } from './offer.service';
import { ResizeService } from './resize.service';
import { WizardController } from './wizard.controller';
import { WizardService } from './wizard.service';

export const WIZARD_CONTROLLERS = [WizardController, MeInstancesController];
export const WIZARD_PROVIDERS = [
  OfferService,
  WizardService,
  InstanceCreationService,
  MyInstancesService,
  ResizeService,
];
