import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import { Offer, OfferService } from './offer.service';
import { planPricing, QuoteFigures, quoteFigures } from './quote-figures';

export interface Quote {
  offer: Offer;
  figures: QuoteFigures;
  view: ViewerCurrency;
}

/** The cost preview of the creation wizard. */
@Injectable()
export class WizardService {
  constructor(
    private readonly offers: OfferService,
    private readonly viewerCurrency: ViewerCurrencyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async quote(userId: string, planId: number, locationId: number): Promise<Quote> {
    const [offer, view] = await Promise.all([
      this.offers.assess(userId, planId, locationId, true),
      this.viewerCurrency.forUser(userId),
    ]);
    const figures = quoteFigures(planPricing(offer.plan), offer.balance, this.clock.now(), offer.settings.timeZone);
    return { offer, figures, view };
  }
}
