// The billing arithmetic: pure functions, no database, no Nest. Settlement and quotes import from here.
export * from './types';
export * from './time-windows';
export * from './month-window';
export * from './calendar-pieces';
export * from './instance-hour';
export * from './hour-split';
export * from './granularity';
export * from './rates';
export * from './hour-charge';
export * from './monthly';
export * from './estimate';
export * from './rule-hour';
export * from './counter-usage';
