import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import {
  CounterParams,
  mapMeteredCounter,
  MeteredCounterCreateDto,
  MeteredCounterResponseDto,
  MeteredCounterUpdateDto,
} from './metered-counter.dto';
import { MeteredCounterService } from './metered-counter.service';
import { RetiredQuery } from './retired-query.dto';

@ApiTags('admin: metering')
@Controller('admin/counters')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class MeteredCounterController {
  constructor(private readonly counters: MeteredCounterService) {}

  @Get()
  async list(@Query() query: RetiredQuery): Promise<MeteredCounterResponseDto[]> {
    return (await this.counters.list(query.includeRetired ?? false)).map(mapMeteredCounter);
  }

  @Post()
  async create(@Body() dto: MeteredCounterCreateDto): Promise<MeteredCounterResponseDto> {
    return mapMeteredCounter(await this.counters.create(dto));
  }

  @Patch(':id')
  async update(
    @Param() { id }: CounterParams,
    @Body() dto: MeteredCounterUpdateDto,
  ): Promise<MeteredCounterResponseDto> {
    return mapMeteredCounter(await this.counters.update(id, dto));
  }

  /** Retires the counter: it stops billing now and stays on record under its name. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() { id }: CounterParams): Promise<void> {
    await this.counters.remove(id);
  }
}
