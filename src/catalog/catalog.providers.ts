import { Provider, Type } from '@nestjs/common';

export const CATALOG_CONTROLLERS: Type[] = [];
export const CATALOG_PROVIDERS: Provider[] = [];
