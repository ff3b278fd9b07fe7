import { billsIn } from './state-filter';

describe('a rule’s state filter, as NoCloud reads `on` and `except`', () => {
  // The whole truth table: listed or not, inverted or not.
  it.each([
    { listed: true, except: false, bills: true },
    { listed: false, except: false, bills: false },
    { listed: true, except: true, bills: false },
    { listed: false, except: true, bills: true },
  ])('state listed: $listed, except: $except → bills: $bills', ({ listed, except, bills }) => {
    const filter = { on: listed ? ['running', 'stopped'] : ['stopped'], except };
    expect(billsIn(filter, 'running')).toBe(bills);
  });

  it('bills an IPv4 address in every state but deleted, and a suspension fee only while suspended', () => {
    const ipv4 = { on: ['deleted'], except: true };
    const suspensionFee = { on: ['suspended'], except: false };
    const states = ['running', 'stopped', 'suspended', 'deleted'];
    expect(states.filter((s) => billsIn(ipv4, s))).toEqual(['running', 'stopped', 'suspended']);
    expect(states.filter((s) => billsIn(suspensionFee, s))).toEqual(['suspended']);
  });
});
