/**
 * Which instance states a resource rule bills in, as NoCloud's billing plans say it: `on` lists states and
 * `except` inverts the list. `{ on: ['deleted'], except: true }` is "every state but deleted";
 * `{ on: ['suspended'], except: false }` is "only while suspended".
 */
export interface StateFilter<State extends string = string> {
  on: readonly State[];
  except: boolean;
}

/** NoCloud's rule, exactly: a record is made when `(state ∈ on) ≠ except`. */
export function billsIn<State extends string>(filter: StateFilter<State>, state: State): boolean {
  return filter.on.includes(state) !== filter.except;
}
