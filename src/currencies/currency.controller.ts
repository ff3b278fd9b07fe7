import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { CurrencyCodePipe } from './currency-code.pipe';
import { CurrencyCreateDto, CurrencyResponseDto, CurrencyUpdateDto, mapCurrency } from './currency.dto';
import { CurrencyService } from './currency.service';

@ApiTags('admin: currencies')
@Controller('admin/currencies')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class CurrencyController {
  constructor(private readonly currencies: CurrencyService) {}

  @Get()
  async list(): Promise<CurrencyResponseDto[]> {
    return (await this.currencies.list()).map(mapCurrency);
  }

  @Post()
  async create(@Body() dto: CurrencyCreateDto): Promise<CurrencyResponseDto> {
    return mapCurrency(await this.currencies.create(dto));
  }

  @Patch(':code')
  async update(
    @Param('code', CurrencyCodePipe) code: string,
    @Body() dto: CurrencyUpdateDto,
  ): Promise<CurrencyResponseDto> {
    return mapCurrency(await this.currencies.update(code, dto));
  }

  @Delete(':code')
  @HttpCode(204)
  async remove(@Param('code', CurrencyCodePipe) code: string): Promise<void> {
    await this.currencies.remove(code);
  }

  @Post(':code/default')
  @HttpCode(200)
  async makeDefault(@Param('code', CurrencyCodePipe) code: string): Promise<CurrencyResponseDto> {
    return mapCurrency(await this.currencies.makeDefault(code));
  }
}
