import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { InstanceCreationService } from './instance-creation.service';
import { MyInstancesService } from './my-instances.service';
import { ResizeService } from './resize.service';
import {
  mapMeInstance,
  MeInstanceCreateDto,
  MeInstanceParams,
  MeInstanceResizeDto,
  MeInstanceResponseDto,
  ResizeQuoteResponseDto,
} from './me-instance.dto';

const iso = (ms: number) => new Date(ms).toISOString();

/** The signed-in user's instances; another user's id answers 404 on every route. */
@ApiTags('me')
@Controller('me/instances')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MeInstancesController {
  constructor(
    private readonly creation: InstanceCreationService,
    private readonly mine: MyInstancesService,
    private readonly resizing: ResizeService,
  ) {}

  /** 402 when the balance rule refuses, 409 when nothing fits or the catalog refuses, 502 when the host fails. */
  @Post()
  async create(@Viewer() viewer: AuthenticatedUser, @Body() dto: MeInstanceCreateDto): Promise<MeInstanceResponseDto> {
    const { instance, plan, location } = await this.creation.create(viewer.id, dto.planId, dto.locationId, dto.name);
    const names = { plans: new Map([[plan.id, plan.name]]), locations: new Map([[location.id, location.name]]) };
    return mapMeInstance(instance, names);
  }

  @Get()
  async list(@Viewer() viewer: AuthenticatedUser): Promise<MeInstanceResponseDto[]> {
    const { instances, names } = await this.mine.list(viewer.id);
    return instances.map((instance) => mapMeInstance(instance, names));
  }

  @Get(':id')
  async get(@Viewer() viewer: AuthenticatedUser, @Param() { id }: MeInstanceParams): Promise<MeInstanceResponseDto> {
    const instance = await this.mine.get(viewer.id, id);
    return mapMeInstance(instance, await this.mine.names());
  }

  /** Terminates now; the same request again answers with the terminated instance. */
  @Delete(':id')
  async terminate(
    @Viewer() viewer: AuthenticatedUser,
    @Param() { id }: MeInstanceParams,
  ): Promise<MeInstanceResponseDto> {
    const instance = await this.mine.terminate(viewer.id, id);
    return mapMeInstance(instance, await this.mine.names());
  }

  @Post(':id/resize-quote')
  @HttpCode(200)
  async resizeQuote(
    @Viewer() viewer: AuthenticatedUser,
    @Param() { id }: MeInstanceParams,
    @Body() dto: MeInstanceResizeDto,
  ): Promise<ResizeQuoteResponseDto> {
    const quote = await this.resizing.quote(viewer.id, id, dto.planId);
    const { money, unitPrice } = quote.view;
    return {
      instanceId: quote.instance.id,
      planId: quote.target.id,
      from: iso(quote.fromMs),
      until: iso(quote.untilMs),
      restOfMonth: money(quote.restOfMonth),
      hourly: unitPrice(quote.hourly),
      monthlyCap: quote.monthlyCap === null ? null : money(quote.monthlyCap),
      current: { planId: quote.instance.planId, restOfMonth: money(quote.currentRestOfMonth) },
      canResize: quote.refusal === null,
      reason: quote.refusal?.reason ?? null,
    };
  }

  @Post(':id/resize')
  @HttpCode(200)
  async resize(
    @Viewer() viewer: AuthenticatedUser,
    @Param() { id }: MeInstanceParams,
    @Body() dto: MeInstanceResizeDto,
  ): Promise<MeInstanceResponseDto> {
    const instance = await this.resizing.resize(viewer.id, id, dto.planId);
    return mapMeInstance(instance, await this.mine.names());
  }
}
