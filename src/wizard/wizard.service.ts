import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import { MeteringLookupService } from '../metering/metering-lookup.service';
import { CounterLine, counterLine, RuleLine, ruleLine } from './metered-lines';
import { Offer, OfferService } from './offer.service';
import { planPricing, QuoteFigures, quoteFigures } from './quote-figures';
import { ruleCosts } from './rule-costs';

export interface Quote {
  offer: Offer;
  figures: QuoteFigures;
  view: ViewerCurrency;
  /** The plan's live resource rules and the counters that apply to it, by key. */
  rules: RuleLine[];
  counters: CounterLine[];
}

/** The cost preview of the creation wizard. */
@Injectable()
export class WizardService {
  constructor(
    private readonly offers: OfferService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly metering: MeteringLookupService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async quote(userId: string, planId: number, locationId: number): Promise<Quote> {
    const [offer, view, rulesByPlan, counters] = await Promise.all([
      this.offers.assess(userId, planId, locationId, true),
      this.viewerCurrency.forUser(userId),
      this.metering.rulesOfPlans([planId]),
      this.metering.countersForPlan(planId),
    ]);
    // A deleted rule stays on record for the hours it billed; a new instance gets only the live ones.
    const rules = (rulesByPlan.get(planId) ?? []).filter((rule) => rule.retiredAt === null);
    const figures = quoteFigures(
      planPricing(offer.plan),
      ruleCosts(rules),
      offer.balance,
      this.clock.now(),
      offer.settings.timeZone,
    );
    return {
      offer,
      figures,
      view,
      rules: rules.map((rule) => ruleLine(rule, view.unitPrice)),
      counters: counters.map((counter) => counterLine(counter, view.unitPrice)),
    };
  }
}
