import { stateAfter } from './instance-lifecycle';

describe('instance lifecycle', () => {
  it('follows the host through start, stop, suspend, resume and termination', () => {
    expect(stateAfter('running', 'stopped')).toBe('stopped');
    expect(stateAfter('stopped', 'started')).toBe('running');
    expect(stateAfter('running', 'suspended')).toBe('suspended');
    expect(stateAfter('stopped', 'suspended')).toBe('suspended');
    expect(stateAfter('suspended', 'resumed')).toBe('running');
    expect(stateAfter('suspended', 'terminated')).toBe('terminated');
  });

  it('keeps the state across a resize', () => {
    expect(stateAfter('stopped', 'resized')).toBe('stopped');
    expect(stateAfter('running', 'resized')).toBe('running');
  });

  it('keeps the state across a report of resource quantities, and takes none after termination', () => {
    expect(stateAfter('running', 'resources')).toBe('running');
    expect(stateAfter('stopped', 'resources')).toBe('stopped');
    expect(stateAfter('suspended', 'resources')).toBe('suspended');
    expect(stateAfter('terminated', 'resources')).toBeNull();
  });

  it('refuses events that do not fit the current state', () => {
    expect(stateAfter('running', 'started')).toBeNull();
    expect(stateAfter('stopped', 'stopped')).toBeNull();
    expect(stateAfter('running', 'resumed')).toBeNull();
    expect(stateAfter('terminated', 'started')).toBeNull();
    expect(stateAfter('terminated', 'resized')).toBeNull();
    expect(stateAfter('terminated', 'terminated')).toBeNull();
  });
});
