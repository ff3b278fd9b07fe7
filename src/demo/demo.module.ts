import { DynamicModule, Module } from '@nestjs/common';
import { DemoConfig } from './demo.config';
import { DemoHostModule } from './demo-host.module';
import { DemoSeeder } from './demo-seed';
import { DemoSessionController } from './demo-session.controller';
import { PANEL_CONTROLLERS, PANEL_PROVIDERS } from './pages/pages.providers';

/** The demo host: what `npm start` runs — the simulated host with the plugin, its seed, sign-in and pages. */
@Module({})
export class DemoAppModule {
  static forRoot(config: DemoConfig): DynamicModule {
    return {
      module: DemoAppModule,
      imports: [DemoHostModule.forRoot(config)],
      // Outside the plugin's route prefix: these are the host's routes, not the plugin's.
      controllers: [DemoSessionController, ...PANEL_CONTROLLERS],
      providers: [DemoSeeder, ...PANEL_PROVIDERS],
    };
  }
}
