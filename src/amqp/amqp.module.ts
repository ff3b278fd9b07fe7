import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { AMQP_OPTIONS } from '../cloud-billing.constants';
import { InstancesModule } from '../instances/instances.module';
import { MeteringModule } from '../metering/metering.module';
import { AmqpConsumer } from './amqp-consumer';
import { AmqpMessageHandler } from './amqp-message-handler';
import { amqpSettings } from './amqp-settings';
import { AMQP_SETTINGS } from './amqp.constants';

/**
 * Instance events and usage reports from a RabbitMQ queue, through the services the HTTP API calls (README, "Events over AMQP").
 * Always part of the plugin; its consumer stays idle, and amqplib unloaded, when the host gave no `amqp` option.
 */
@Module({
  imports: [InstancesModule, MeteringModule, BillingModule],
  providers: [
    // Checked as the module starts: a wrong option stops it, naming the option.
    { provide: AMQP_SETTINGS, useFactory: amqpSettings, inject: [AMQP_OPTIONS] },
    AmqpMessageHandler,
    AmqpConsumer,
  ],
})
export class AmqpModule {}
