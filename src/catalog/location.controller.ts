import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { IdParams } from './catalog-params.dto';
import {
  LocationCreateDto,
  LocationHypervisorsDto,
  LocationResponseDto,
  LocationUpdateDto,
  mapLocation,
} from './location.dto';
import { LocationService } from './location.service';

@ApiTags('admin: catalog')
@Controller('admin/locations')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class LocationController {
  constructor(private readonly locations: LocationService) {}

  @Get()
  async list(): Promise<LocationResponseDto[]> {
    return (await this.locations.list()).map(mapLocation);
  }

  @Post()
  async create(@Body() dto: LocationCreateDto): Promise<LocationResponseDto> {
    return mapLocation(await this.locations.create(dto));
  }

  @Get(':id')
  async get(@Param() { id }: IdParams): Promise<LocationResponseDto> {
    return mapLocation(await this.locations.get(id));
  }

  @Patch(':id')
  async update(@Param() { id }: IdParams, @Body() dto: LocationUpdateDto): Promise<LocationResponseDto> {
    return mapLocation(await this.locations.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() { id }: IdParams): Promise<void> {
    await this.locations.remove(id);
  }

  @Put(':id/hypervisors')
  async setHypervisors(@Param() { id }: IdParams, @Body() dto: LocationHypervisorsDto): Promise<LocationResponseDto> {
    return mapLocation(await this.locations.setHypervisors(id, dto.hypervisorIds));
  }
}
