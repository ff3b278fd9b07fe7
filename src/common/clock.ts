/** Every service reads time from this, never from Date.now(), so tests and the demo host can move it. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
