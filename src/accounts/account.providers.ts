import { Provider, Type } from '@nestjs/common';

export const ACCOUNT_CONTROLLERS: Type[] = [];
export const ACCOUNT_PROVIDERS: Provider[] = [];
