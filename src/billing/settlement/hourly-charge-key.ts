/** The key of an account's charge for one hour (a later settlement of the hour gets the next one, see postCharges). */
export const hourlyChargeKey = (userId: string, hourStartMs: number) =>
  `charge:${userId}:${new Date(hourStartMs).toISOString()}`;
