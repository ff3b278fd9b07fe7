import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Put, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { BudgetResponseDto, BudgetUpdateDto, mapBudget } from './budget.dto';
import { BudgetService } from './budget.service';

/** The signed-in user's own monthly budget; there is no way to name another user's. */
@ApiTags('me')
@Controller('me/budget')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class BudgetController {
  constructor(private readonly budgets: BudgetService) {}

  @Get()
  async get(@Viewer() viewer: AuthenticatedUser): Promise<BudgetResponseDto> {
    const status = await this.budgets.get(viewer.id);
    if (!status) throw new NotFoundException('you have no budget; PUT /me/budget sets one');
    return mapBudget(status);
  }

  @Put()
  async set(@Viewer() viewer: AuthenticatedUser, @Body() dto: BudgetUpdateDto): Promise<BudgetResponseDto> {
    return mapBudget(await this.budgets.set(viewer.id, dto));
  }

  /** 204 whether or not there was one: removing is idempotent. */
  @Delete()
  @HttpCode(204)
  async remove(@Viewer() viewer: AuthenticatedUser): Promise<void> {
    await this.budgets.remove(viewer.id);
  }
}
