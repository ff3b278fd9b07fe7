import { ResizeFacts, resizeRefusal } from './resize-rules';

const allowed: ResizeFacts = {
  planName: 'C4',
  planEnabled: true,
  offered: true,
  locationName: 'Frankfurt',
  hasRoom: true,
  hypervisorId: 'hv-1',
};

describe('whether an instance may move to another plan', () => {
  it('allows an enabled plan offered where the instance is, with room on its hypervisor', () => {
    expect(resizeRefusal(allowed)).toBeNull();
  });

  it.each([
    [{ planEnabled: false }, 'plan-unavailable', 'C4 is not available at the moment'],
    [{ offered: false }, 'not-offered', 'C4 is not offered in Frankfurt'],
    [{ hasRoom: false }, 'no-room', 'hypervisor hv-1 has no room for C4'],
  ])('refuses %j as %s, saying why', (changes, code, reason) => {
    expect(resizeRefusal({ ...allowed, ...changes })).toEqual({ code, reason: expect.stringContaining(reason) });
  });

  it('names the catalog reason before room', () => {
    expect(resizeRefusal({ ...allowed, offered: false, hasRoom: false })?.code).toBe('not-offered');
  });
});
